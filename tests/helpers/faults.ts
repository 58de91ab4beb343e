import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'
import type { TestContext } from '@japa/runner/core'
import type { Client } from '@temporalio/client'
import type { TemporalConfig } from '#config/temporal'
import { createTemporalClient } from '#providers/temporal_provider'
import { startPrivateTemporal } from '#tests/helpers/processes'

/** A loopback port nothing listens on (bound, then released): connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Points the app's Temporal client at a closed port (a real connection failure) until
 * the returned restore function runs; the shared dev server is never touched.
 */
export async function makeTemporalUnreachable() {
  const port = await closedPort()
  const config = app.config.get<TemporalConfig>('temporal')
  const unreachable = await createTemporalClient({ ...config, address: `127.0.0.1:${port}` })
  const real = await app.container.make('temporal.client')
  app.container.bindValue('temporal.client', unreachable)
  return async () => {
    app.container.bindValue('temporal.client', real)
    // Waits for the outage's calls still in their retry backoff to end (see RetryDrain).
    await unreachable.connection.close()
  }
}

/** How many runs the server holds for this workflow id (a duplicate start shows as 2). */
export async function runsOf(client: Client, workflowId: string) {
  const { count } = await client.workflow.count(`WorkflowId = '${workflowId}'`)
  return count
}

/*
| A connection config's URL, read and replaced whether it is a string or an object with
| `connectionString` (the app connection: it also carries pg's `pipeline` option, kept here).
*/
function connectionUrl(config: { connection?: unknown }) {
  const connection = config.connection as string | { connectionString: string }
  return typeof connection === 'string' ? connection : connection.connectionString
}
function withUrl<T extends { connection?: unknown }>(config: T, url: string): T {
  const connection = config.connection
  return {
    ...config,
    connection:
      connection && typeof connection === 'object' ? { ...connection, connectionString: url } : url,
  }
}

/**
 * Points the app's default PostgreSQL connection at a closed port (connections are
 * refused, as when the server is down) until the returned restore function runs.
 */
export async function makeDatabaseUnreachable() {
  const db = (await import('@adonisjs/lucid/services/db')).default
  const node = db.manager.get('app')!
  const original = node.config
  const url = new URL(connectionUrl(original))
  url.port = String(await closedPort())
  db.manager.patch('app', withUrl(original, url.toString()))
  db.manager.connect('app')
  return async () => {
    db.manager.patch('app', original)
    db.manager.connect('app')
  }
}

/** A Redis server of this test's own (never the shared one), on a free loopback port. */
export async function startPrivateRedis() {
  const { spawn } = await import('node:child_process')
  const port = await closedPort()
  let child: import('node:child_process').ChildProcess | null = null
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    child = started
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('private redis did not start')), 10_000)
      started.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve()
        }
      })
      started.once('exit', () => reject(new Error('private redis exited')))
    })
  }
  const stop = async () => {
    const running = child
    child = null
    if (!running || running.exitCode !== null) return
    await new Promise((resolve) => {
      running.once('exit', resolve)
      running.kill('SIGKILL')
    })
  }
  await start()
  return { port, start, stop }
}

/** Moves the app's `main` Redis connection to another port (restore moves it back). */
export async function pointRedisAt(port: number) {
  const redis = (await import('@adonisjs/redis/services/main')).default
  const config = redis.managerConfig.connections.main as {
    host?: string
    port?: number
    db?: number
  }
  const original = { host: config.host, port: config.port, db: config.db }
  Object.assign(config, { host: '127.0.0.1', port, db: 0 })
  await redis.quit('main').catch(() => {})
  return async () => {
    Object.assign(config, original)
    await redis.quit('main').catch(() => {})
  }
}

/** A loopback TCP proxy to `target` on `port` (start it late to simulate a frontend coming back). */
export async function startTcpProxy(port: number, target: { host: string; port: number }) {
  const net = await import('node:net')
  const sockets = new Set<import('node:net').Socket>()
  const server = net.createServer((inbound) => {
    const outbound = net.connect(target.port, target.host)
    sockets.add(inbound).add(outbound)
    inbound.pipe(outbound).pipe(inbound)
    const close = () => {
      inbound.destroy()
      outbound.destroy()
      sockets.delete(inbound)
      sockets.delete(outbound)
    }
    inbound.on('error', close).on('close', close)
    outbound.on('error', close).on('close', close)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function run(command: string, args: string[], options: { asUser?: string } = {}) {
  const { spawn } = await import('node:child_process')
  const [file, argv] = options.asUser
    ? ['runuser', ['-u', options.asUser, '--', command, ...args]]
    : [command, args]
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`)
  return output
}

/** Polls `probe` every 100 ms until it resolves truthy, at most `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null)
    if (value) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

/**
 * A PostgreSQL 15 cluster of the test's own (initdb into a temp dir, loopback port), with
 * the project's roles: `pathways_owner` owns the database, `pathways_app` owns nothing and
 * has no BYPASSRLS. `restart()` is `pg_ctl restart -m fast`. As root, the server runs as
 * the `postgres` OS user (initdb refuses root).
 */
export async function startPrivatePostgres() {
  const { mkdtemp, rm, chown } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { execFileSync } = await import('node:child_process')
  const pg = (await import('pg')).default
  const bin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'
  const dir = await mkdtemp(join(tmpdir(), 'pathways-pg-'))
  const data = join(dir, 'data')
  const asUser = process.getuid?.() === 0 ? 'postgres' : undefined
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', asUser]).toString())
    const gid = Number(execFileSync('id', ['-g', asUser]).toString())
    await chown(dir, uid, gid)
  }
  const port = await closedPort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100`
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
    { asUser }
  )
  const pgCtl = (...args: string[]) =>
    run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), ...args], { asUser })
  await pgCtl('-o', options, '-w', '-t', '30', 'start')

  const database = 'pathways_fault'
  const password = crypto.randomUUID()
  const url = (role: string, db = database) =>
    `postgres://${role}:${password}@127.0.0.1:${port}/${db}`
  const superuser = async (db: string, sql: string) => {
    const client = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/${db}`,
    })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await superuser(
    'postgres',
    `CREATE ROLE pathways_owner LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}';
     CREATE ROLE pathways_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}';`
  )
  await superuser('postgres', `CREATE DATABASE ${database} OWNER pathways_owner`)
  await superuser(
    database,
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC;
     GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO pathways_app;
     REVOKE CREATE ON SCHEMA public FROM PUBLIC;
     GRANT USAGE ON SCHEMA public TO pathways_app;`
  )
  return {
    port,
    appUrl: url('pathways_app'),
    ownerUrl: url('pathways_owner'),
    /** `pg_ctl restart -m fast`; resolves once the server accepts connections again */
    restart: () => pgCtl('-o', options, '-m', 'fast', '-w', '-t', '30', 'restart'),
    stop: () => pgCtl('-m', 'fast', '-w', 'stop'),
    start: () => pgCtl('-o', options, '-w', '-t', '30', 'start'),
    async dispose() {
      await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Moves the app's `app` and `owner` connections to another PostgreSQL server (the private
 * one) and migrates it as the owner; restore moves them back.
 */
export async function pointDatabaseAt(
  urls: { appUrl: string; ownerUrl: string },
  options: { migrate?: boolean } = {}
) {
  const db = (await import('@adonisjs/lucid/services/db')).default
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  const originals = { app: db.manager.get('app')!.config, owner: db.manager.get('owner')!.config }
  const move = async (name: 'app' | 'owner', config: (typeof originals)['app']) => {
    // A pool holding a connection the fault broke must not hang the test's cleanup.
    await Promise.race([
      db.manager.close(name),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ])
    db.manager.patch(name, config)
    db.manager.connect(name)
  }
  await move('app', withUrl(originals.app, urls.appUrl))
  await move('owner', withUrl(originals.owner, urls.ownerUrl))
  if (options.migrate !== false) {
    const migrator = new MigrationRunner(db, app, { direction: 'up', connectionName: 'owner' })
    await migrator.run()
    if (migrator.error) throw migrator.error
  }
  return async () => {
    await move('app', originals.app)
    await move('owner', originals.owner)
  }
}

/** A Mailpit of the test's own (SMTP + HTTP API on free loopback ports). */
export async function startPrivateMailpit() {
  const { spawn } = await import('node:child_process')
  const { mkdtemp, rm } = await import('node:fs/promises')
  const { homedir, tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const binary =
    process.env.MAILPIT_BIN ?? join(homedir(), '.cache/pathways/tools/mailpit-1.33.1/mailpit')
  const dir = await mkdtemp(join(tmpdir(), 'pathways-mailpit-'))
  const smtpPort = await closedPort()
  const httpPort = await closedPort()
  const url = `http://127.0.0.1:${httpPort}`
  let child: import('node:child_process').ChildProcess | null = null
  const start = async () => {
    child = spawn(
      binary,
      [
        ...['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${httpPort}`],
        ...['--database', join(dir, 'mailpit.db'), '--max', '0'],
        '--smtp-auth-accept-any',
        '--smtp-auth-allow-insecure',
      ],
      { env: { ...process.env, MP_DISABLE_VERSION_CHECK: 'true' }, stdio: 'ignore' }
    )
    await waitFor(async () => (await fetch(`${url}/readyz`)).ok, 20_000, 'the private Mailpit')
  }
  const stop = async () => {
    const running = child
    child = null
    if (!running || running.exitCode !== null) return
    await new Promise((resolve) => {
      running.once('exit', resolve)
      running.kill('SIGKILL')
    })
  }
  /** Every message's recipients (one entry per message), newest first. */
  const recipients = async () => {
    const all: string[] = []
    for (let offset = 0; offset < 20_000; offset += 500) {
      const response = await fetch(`${url}/api/v1/messages?limit=500&start=${offset}`)
      const body = (await response.json()) as { messages: { To: { Address: string }[] }[] }
      for (const message of body.messages) all.push(message.To.map((to) => to.Address).join(','))
      if (body.messages.length < 500) break
    }
    return all
  }
  await start()
  return {
    smtpPort,
    url,
    start,
    stop,
    recipients,
    async dispose() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

type Cleanup = TestContext['cleanup']

/**
 * A private Temporal server the app's client talks to for one test (the shared server never
 * sees a stop, a kill or a flood), with a private Mailpit when `mail` is set; `cleanup`
 * restores the shared client and stops both. `workerEnv` is a worker process's environment
 * on this stack (its own ports, the test's task queue, a throwaway ingestion queue).
 */
export async function usePrivateStack(cleanup: Cleanup, options: { mail?: boolean } = {}) {
  const config = app.config.get<TemporalConfig>('temporal')
  const temporal = await startPrivateTemporal(config.namespace)
  cleanup(() => temporal.dispose())
  const mailpit = options.mail ? await startPrivateMailpit() : null
  if (mailpit) cleanup(() => mailpit.dispose())
  const privateClient = await createTemporalClient({ ...config, address: temporal.address })
  const real = await app.container.make('temporal.client')
  app.container.bindValue('temporal.client', privateClient)
  cleanup(async () => {
    app.container.bindValue('temporal.client', real)
    await privateClient.connection.close().catch(() => {})
  })
  const workerEnv = async (extra: Record<string, string> = {}) => ({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: config.taskQueue,
    TEMPORAL_INGESTION_TASK_QUEUE: `fault-ingest-${crypto.randomUUID()}`,
    ...(mailpit ? { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mailpit.smtpPort) } : {}),
    WORKER_METRICS_PORT: String(await closedPort()),
    WORKER_HEALTH_PORT: String(await closedPort()),
    WORKER_SHUTDOWN_GRACE_SECONDS: '5',
    LOG_LEVEL: 'warn',
    ...extra,
  })
  return { config, temporal, mailpit, client: privateClient, workerEnv }
}
