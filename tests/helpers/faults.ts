import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'
import { Client, Connection } from '@temporalio/client'
import type { TemporalConfig } from '#config/temporal'

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
  const { namespace } = app.config.get<TemporalConfig>('temporal')
  const unreachable = new Client({
    connection: Connection.lazy({ address: `127.0.0.1:${port}`, connectTimeout: '1s' }),
    namespace,
  })
  const real = await app.container.make('temporal.client')
  app.container.bindValue('temporal.client', unreachable)
  return async () => {
    app.container.bindValue('temporal.client', real)
    await unreachable.connection.close().catch(() => {})
  }
}

/** How many runs the server holds for this workflow id (a duplicate start shows as 2). */
export async function runsOf(client: Client, workflowId: string) {
  const { count } = await client.workflow.count(`WorkflowId = '${workflowId}'`)
  return count
}

/**
 * Points the app's default PostgreSQL connection at a closed port (connections are
 * refused, as when the server is down) until the returned restore function runs.
 */
export async function makeDatabaseUnreachable() {
  const db = (await import('@adonisjs/lucid/services/db')).default
  const node = db.manager.get('app')!
  const original = node.config
  const url = new URL(String(original.connection))
  url.port = String(await closedPort())
  db.manager.patch('app', { ...original, connection: url.toString() } as typeof original)
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
