/*
| Authentication benchmark. Starts the API as a child process (bin/server.ts on a free loopback
| port, against the services of the environment you run it in) and measures, in the same run:
|   - baseline: unauthenticated GET /v1 (the trivial index route), 64 connections
|   - GET /v1/me with a bearer access token (token lookup + user + memberships), 64 connections
|   - POST /v1/auth/login (argon2id verify + session + tokens), from a known device
| and prints requests/s and p99 of each, as ratios against the baseline.
|
| Run it against a migrated database, e.g. your test slot (bin/test migrates it):
|   source bin/lib/node_env.sh && ensure_node && source bin/lib/app_env.sh && ROOT=$PWD \
|     PATHWAYS_TEST_DB=pathways_test_a PATHWAYS_TEST_REDIS_DB=1 load_app_env test && \
|     node --import=@poppinss/ts-exec bench/auth.ts
| Bounds: BENCH_SECONDS per phase (default 5), BENCH_MAX_REQUESTS per phase (default 100000),
| BENCH_LOGIN_MAX (default 300). Loopback only; a load loop of our own over undici (no autocannon).
| The per-IP sign-in throttle (30/min) is reset in Redis between login slices so the login phase
| measures the work, not the limiter.
*/
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { bootApp } from '../tests/helpers/boot_app.js'
import { Pool } from 'undici'

const app = await bootApp()

const { createUser, TEST_PASSWORD } = await import('#tests/helpers/fixtures')
const { default: redis } = await import('@adonisjs/redis/services/main')
const { default: db } = await import('@adonisjs/lucid/services/db')

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 100_000)
const LOGIN_MAX = Number(process.env.BENCH_LOGIN_MAX ?? 300)
const CONNECTIONS = 64

async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const port = await freePort()
const origin = `http://127.0.0.1:${port}`
const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
  cwd: app.appRoot.pathname,
  env: {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    /* The global per-IP/per-token limits would cap a load test from one address: lift them. */
    RATE_LIMIT_IP_PER_MINUTE: process.env.RATE_LIMIT_IP_PER_MINUTE ?? '100000000',
    RATE_LIMIT_PRINCIPAL_PER_MINUTE: process.env.RATE_LIMIT_PRINCIPAL_PER_MINUTE ?? '100000000',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
})
const stopServer = () => {
  if (child.exitCode === null) child.kill('SIGTERM')
}
process.on('exit', stopServer)

async function waitForServer() {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`)
    const ok = await fetch(`${origin}/health/live`)
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('the server did not start within 60 s')
}

interface Result {
  name: string
  requests: number
  errors: number
  rps: number
  p50: number
  p99: number
}

/** `connections` workers, each sending one request at a time, until the time or count bound. */
async function load(
  name: string,
  pool: Pool,
  request: () => Parameters<Pool['request']>[0],
  options: {
    connections: number
    seconds: number
    maxRequests: number
    between?: (n: number) => Promise<void>
  }
): Promise<Result> {
  const latencies: number[] = []
  let sent = 0
  let errors = 0
  let firstError: string | undefined
  const started = performance.now()
  const deadline = started + options.seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      sent++
      if (options.between) await options.between(sent)
      const begin = performance.now()
      try {
        const response = await pool.request(request())
        if (response.statusCode >= 400) {
          errors++
          const text = await response.body.text()
          firstError ??= `${response.statusCode} ${text.slice(0, 200)}`
        } else {
          await response.body.dump()
        }
      } catch (error) {
        errors++
        firstError ??= String(error)
      }
      latencies.push(performance.now() - begin)
    }
  }
  await Promise.all(Array.from({ length: options.connections }, worker))
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
  if (firstError) console.error(`${name}: first error: ${firstError}`)
  return {
    name,
    requests: latencies.length,
    errors,
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  }
}

/* Clears this machine's per-IP sign-in throttle counters (bench database/Redis only). */
async function resetIpThrottle() {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', '*ip_127.0.0.1*', 'COUNT', 500)
    cursor = next
    if (keys.length) await redis.del(...keys)
  } while (cursor !== '0')
}

try {
  await waitForServer()
  const email = `bench-${crypto.randomUUID().slice(0, 8)}@bench.test`
  const user = await createUser(email)
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 })

  const first = await fetch(`${origin}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  })
  const session = (await first.json()) as {
    accessToken: string
    deviceId: string
    deviceToken: string
  }
  if (!session.accessToken) throw new Error(`login answered ${first.status}`)
  const loginBody = JSON.stringify({
    email,
    password: TEST_PASSWORD,
    deviceId: session.deviceId,
    deviceToken: session.deviceToken,
  })

  const phase = { connections: CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS }
  /* Warm-up (JIT, pools), not reported. */
  await load('warmup', pool, () => ({ path: '/v1', method: 'GET' }), { ...phase, seconds: 1 })
  await load(
    'warmup',
    pool,
    () => ({
      path: '/v1/me',
      method: 'GET',
      headers: { authorization: `Bearer ${session.accessToken}` },
    }),
    { ...phase, seconds: 1 }
  )

  const baseline = await load(
    'GET /v1 (no auth, baseline)',
    pool,
    () => ({ path: '/v1', method: 'GET' }),
    phase
  )
  const me = await load(
    'GET /v1/me (bearer)',
    pool,
    () => ({
      path: '/v1/me',
      method: 'GET',
      headers: { authorization: `Bearer ${session.accessToken}` },
    }),
    phase
  )
  await resetIpThrottle()
  const loginConnections = 8
  const login = await load(
    `POST /v1/auth/login (${loginConnections} connections)`,
    pool,
    () => ({
      path: '/v1/auth/login',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: loginBody,
    }),
    {
      connections: loginConnections,
      seconds: SECONDS,
      maxRequests: LOGIN_MAX,
      between: async (n) => {
        if (n % 16 === 0) await resetIpThrottle()
      },
    }
  )
  await pool.close()

  const fmt = (r: Result) =>
    `${r.name.padEnd(42)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  (${r.requests} requests, ${r.errors} errors)`
  console.log(`auth benchmark — server pid ${child.pid} on ${origin}, ${SECONDS}s per phase`)
  for (const r of [baseline, me, login]) console.log(fmt(r))
  console.log('ratios against the baseline (same server, same run):')
  console.log(
    `  GET /v1/me   throughput ${(me.rps / baseline.rps).toFixed(3)}x   p99 ${(me.p99 / baseline.p99).toFixed(2)}x`
  )
  console.log(
    `  login        throughput ${(login.rps / baseline.rps).toFixed(4)}x   p99 ${(login.p99 / baseline.p99).toFixed(2)}x`
  )
  if (me.errors || login.errors || baseline.errors) process.exitCode = 1

  /* Leave nothing behind but the bench user's rows (deleted here). */
  await db.connection('owner').from('users').where('id', user.id).delete()
} finally {
  stopServer()
  await app.terminate()
}
