/*
| Authentication benchmark. Starts the API as a child process (bin/server.ts on a free loopback
| port, against the services of the environment you run it in) and measures, in the same run:
|   - baseline: unauthenticated GET /v1 (the trivial index route), 64 connections
|   - GET /v1/me with a bearer access token (token + user + memberships in two schools)
|   - GET /v1/schools/:id/me/applications (bearer + school context + RLS transaction + one query)
|   - POST /v1/auth/login (argon2id verify + session + tokens) over many accounts, each from a
|     known device, so the figure is sign-in work and not the per-account lockout
| and prints requests/s and p50/p99 of each, as ratios against the baseline, plus the API
| process's peak resident memory (VmHWM) under that load, and per phase what makes the tail inside
| the server (event-loop delay, GC pauses: bench/lib/api_probe.mjs) with the load average.
| At full size the API is the compiled build (`node ace build`, then `node bin/server.js`, as the
| image runs it); at tiny size it runs from source under ts-exec. BENCH_API=build|source overrides.
|
| Run it with bin/bench auth, or against a migrated database such as your test slot:
|   source bin/lib/node_env.sh && ensure_node && source bin/lib/app_env.sh && ROOT=$PWD \
|     PATHWAYS_TEST_DB=pathways_test_a PATHWAYS_TEST_REDIS_DB=1 load_app_env test && \
|     BENCH_SIZE=tiny node --import=@poppinss/ts-exec bench/auth.ts
| BENCH_SIZE=tiny (seconds, used by bin/test) or full (default). Bounds at each size: seconds per
| phase (BENCH_SECONDS overrides), requests per phase (BENCH_MAX_REQUESTS), sign-ins
| (BENCH_LOGIN_MAX) and accounts (BENCH_ACCOUNTS). BENCH_RESULT_FILE=path writes the figures as
| JSON (keys: me_vs_trivial, me_p99_ms, trivial_rps, me_rps, login_rps, api_rss_mb, + raw ones).
| BENCH_CPU_PROFILE=dir runs the API under `node --cpu-prof` and writes its profile there.
| Loopback only; a load loop of our own over undici (no autocannon). The per-IP sign-in throttle
| (30/min) is reset in Redis between login slices so the login phase measures the work.
*/
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootApp } from '../tests/helpers/boot_app.js'
import { Pool } from 'undici'
import { buildApi, freePort, load, loadInterleaved, type LoadResult } from './lib/load.js'

const app = await bootApp()

const { createUser, createSchool, addMember, TEST_PASSWORD } =
  await import('#tests/helpers/fixtures')
const { default: redis } = await import('@adonisjs/redis/services/main')
const { default: db } = await import('@adonisjs/lucid/services/db')

const SIZE = process.env.BENCH_SIZE === 'tiny' ? 'tiny' : 'full'
const sized = (name: string, tiny: number, full: number) =>
  Number(process.env[name] ?? (SIZE === 'tiny' ? tiny : full))
const SECONDS = sized('BENCH_SECONDS', 1, 5)
const MAX_REQUESTS = sized('BENCH_MAX_REQUESTS', 5_000, 100_000)
const LOGIN_MAX = sized('BENCH_LOGIN_MAX', 24, 300)
const ACCOUNTS = sized('BENCH_ACCOUNTS', 8, 64)
const CONNECTIONS = 64
const LOGIN_CONNECTIONS = 8

const API = process.env.BENCH_API ?? (SIZE === 'tiny' ? 'source' : 'build')
/* BENCH_API_DIR: an existing build/ directory (with node_modules) to run instead of building. */
const built =
  API !== 'build'
    ? null
    : process.env.BENCH_API_DIR
      ? { dir: process.env.BENCH_API_DIR, remove: () => {} }
      : buildApi(app.appRoot.pathname)
/*
| V8 flags of the API process: the NODE_OPTIONS the Helm chart's API deployment renders (its
| template with the default `api.maxOldSpaceMb`), read from the chart so they cannot drift.
| BENCH_API_NODE_FLAGS overrides them, to compare.
*/
async function chartNodeOptions() {
  const chart = join(app.appRoot.pathname, 'helm/pathways')
  const template = await readFile(join(chart, 'templates/api-deployment.yaml'), 'utf8')
  const values = await readFile(join(chart, 'values.yaml'), 'utf8')
  const options = template.match(/name: NODE_OPTIONS\s+value: "([^"]+)"/)?.[1]
  const maxOldSpaceMb = values.match(/^\s+maxOldSpaceMb: (\d+)/m)?.[1]
  if (!options || !maxOldSpaceMb) throw new Error('the chart no longer sets the API NODE_OPTIONS')
  return options.replace('{{ $api.maxOldSpaceMb }}', maxOldSpaceMb)
}
const API_NODE_FLAGS = (process.env.BENCH_API_NODE_FLAGS ?? (await chartNodeOptions()))
  .split(' ')
  .filter(Boolean)
const port = await freePort()
const origin = `http://127.0.0.1:${port}`
const profileDir = process.env.BENCH_CPU_PROFILE
const probeDir = await mkdtemp(join(tmpdir(), 'pathways-bench-probe-'))
const probeFile = join(probeDir, 'probe.json')
const spawnedAt = performance.now()
const child = spawn(
  process.execPath,
  [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    `--import=${new URL('./lib/api_probe.mjs', import.meta.url).href}`,
    '--expose-gc',
    ...API_NODE_FLAGS,
    ...(built ? ['bin/server.js'] : ['--import=@poppinss/ts-exec', 'bin/server.ts']),
  ],
  {
    cwd: built ? built.dir : app.appRoot.pathname,
    env: {
      ...process.env,
      BENCH_PROBE_FILE: probeFile,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'production',
      /* The global per-IP/per-token limits would cap a load test from one address: lift them. */
      RATE_LIMIT_IP_PER_MINUTE: process.env.RATE_LIMIT_IP_PER_MINUTE ?? '100000000',
      RATE_LIMIT_PRINCIPAL_PER_MINUTE: process.env.RATE_LIMIT_PRINCIPAL_PER_MINUTE ?? '100000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  }
)
const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
const stopServer = () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
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

/** Resident set of the API process (VmHWM: the kernel's high-water mark), in MB; null off Linux. */
async function apiRssMb(field: 'VmHWM' | 'VmRSS') {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => null)
  const kb = status?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1]
  return kb ? Math.round(Number(kb) / 1024) : null
}

interface Probe {
  loop_delay_ms: { p50: number; p99: number; max: number }
  gc: { count: number; major: number; total_ms: number; p99_ms: number; max_ms: number }
  heap_used_mb: number
  heap_live_mb: number
  rss_mb: number
  external_mb: number
}

/** The server's event-loop delay and GC pauses since the last call (bench/lib/api_probe.mjs). */
async function probe(): Promise<Probe | null> {
  await rm(probeFile, { force: true })
  if (!child.kill('SIGUSR2')) return null
  const deadline = Date.now() + 5_000
  while (Date.now() < deadline) {
    const text = await readFile(probeFile, 'utf8').catch(() => null)
    if (text) {
      try {
        return JSON.parse(text) as Probe
      } catch {
        // written in two steps: read again
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return null
}

/*
| Clears this machine's per-IP sign-in throttle counter (bench database/Redis only). The
| connection prefixes the key it is given, so pass it without the prefix.
*/
async function resetIpThrottle() {
  await redis.del('rlflx:auth_ip_ip_127.0.0.1')
}

interface Session {
  accessToken: string
  deviceId: string
  deviceToken: string
}

async function signIn(body: Record<string, unknown>) {
  const response = await fetch(`${origin}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  const session = JSON.parse(text) as Session
  if (!session.accessToken)
    throw new Error(`login answered ${response.status}: ${text.slice(0, 300)}`)
  return session
}

const tag = crypto.randomUUID().slice(0, 8)
const userIds: string[] = []
const schoolIds: string[] = []
try {
  await waitForServer()
  const idleRssMb = await apiRssMb('VmRSS')
  const idleProbe = await probe()
  /* The /v1/me caller belongs to two schools (learner and staff), like a typical account. */
  for (const role of ['learner', 'staff'] as const) {
    const school = await createSchool(`bench-${tag}-${role}`)
    schoolIds.push(school.id)
  }
  /* Sign-in accounts: each from a device it already used, one request in flight per account. */
  const accounts: { email: string; body: string }[] = []
  for (let i = 0; i < ACCOUNTS; i++) {
    const email = `bench-${tag}-${i}@bench.test`
    const user = await createUser(email)
    userIds.push(user.id)
    if (i === 0) {
      await addMember(schoolIds[0], user.id, 'learner')
      await addMember(schoolIds[1], user.id, 'staff')
    }
    if (i % 16 === 0) await resetIpThrottle()
    const session = await signIn({ email, password: TEST_PASSWORD })
    accounts.push({
      email,
      body: JSON.stringify({
        email,
        password: TEST_PASSWORD,
        deviceId: session.deviceId,
        deviceToken: session.deviceToken,
      }),
    })
  }
  await resetIpThrottle()
  const session = await signIn({ email: accounts[0].email, password: TEST_PASSWORD })
  const bearer = { authorization: `Bearer ${session.accessToken}` }
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 })

  const phase = { connections: CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS }
  const warm = { ...phase, seconds: Math.min(1, SECONDS) }
  const trivialRequest = () => ({ path: '/v1', method: 'GET' as const })
  const meRequest = () => ({ path: '/v1/me', method: 'GET' as const, headers: bearer })
  const schoolPath = `/v1/schools/${schoolIds[0]}/me/applications`
  const schoolRequest = () => ({ path: schoolPath, method: 'GET' as const, headers: bearer })
  /* Warm-up (JIT, pools, caches), not reported. */
  await load('warmup', pool, trivialRequest, warm)
  await load('warmup', pool, meRequest, warm)
  await load('warmup', pool, schoolRequest, warm)

  /* Phase windows in ms since the server was spawned, to cut a CPU profile per phase. */
  const windows: Record<string, [number, number]> = {}
  const probes: Record<string, (Probe & { load_average_1m: number }) | null> = {}
  const timed = async <T>(name: string, work: () => Promise<T>) => {
    await probe()
    const from = performance.now() - spawnedAt
    const result = await work()
    windows[name] = [from, performance.now() - spawnedAt]
    const figures = await probe()
    probes[name] = figures && { ...figures, load_average_1m: Number(loadavg()[0].toFixed(2)) }
    return result
  }
  const routes = [
    { name: 'GET /v1 (no auth, baseline)', request: trivialRequest },
    { name: 'GET /v1/me (bearer)', request: meRequest },
    { name: 'GET /v1/schools/:id/me/applications', request: schoolRequest },
  ]
  /*
  | Interleaved in half-second slices (the machine's load drifts; see loadInterleaved), except
  | under a CPU profile or with BENCH_INTERLEAVE=0, where each route has its own window.
  */
  const interleave = !profileDir && process.env.BENCH_INTERLEAVE !== '0'
  const [baseline, me, school] = interleave
    ? await timed('authenticated', () =>
        loadInterleaved(pool, routes, { ...phase, slices: Math.max(1, SECONDS * 2) })
      )
    : [
        await timed('trivial', () => load(routes[0].name, pool, routes[0].request, phase)),
        await timed('me', () => load(routes[1].name, pool, routes[1].request, phase)),
        await timed('school', () => load(routes[2].name, pool, routes[2].request, phase)),
      ]
  const rssBeforeLoginMb = await apiRssMb('VmHWM')
  await resetIpThrottle()
  const login = await timed('login', () =>
    load(
      `POST /v1/auth/login (${LOGIN_CONNECTIONS} conn., ${ACCOUNTS} accounts)`,
      pool,
      (n) => ({
        path: '/v1/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: accounts[n % accounts.length].body,
      }),
      {
        connections: LOGIN_CONNECTIONS,
        seconds: SECONDS,
        maxRequests: LOGIN_MAX,
        between: async (n) => {
          if (n % 16 === 0) await resetIpThrottle()
        },
      }
    )
  )
  await pool.close()
  if (profileDir) await writeFile(`${profileDir}/phases.json`, JSON.stringify(windows))
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`the server exited during the run (${child.exitCode ?? child.signalCode})`)
  }
  const rssMb = await apiRssMb('VmHWM')

  const fmt = (r: LoadResult) =>
    `${r.name.padEnd(46)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  (${r.requests} requests, ${r.errors} errors)`
  console.log(
    `auth benchmark (${SIZE}) — server pid ${child.pid} on ${origin} (${built ? 'compiled build' : 'source, ts-exec'}), ${SECONDS}s per phase`
  )
  for (const r of [baseline, me, school, login]) console.log(fmt(r))
  console.log(
    'inside the server, per phase (event-loop delay, GC pauses, heap; 1-min load average):'
  )
  for (const [name, p] of Object.entries(probes)) {
    if (!p) continue
    console.log(
      `  ${name.padEnd(8)} loop delay p50 ${p.loop_delay_ms.p50} / p99 ${p.loop_delay_ms.p99} / max ${p.loop_delay_ms.max} ms; ` +
        `GC ${p.gc.count} pauses (${p.gc.major} major) ${p.gc.total_ms} ms in all, p99 ${p.gc.p99_ms} max ${p.gc.max_ms} ms; ` +
        `heap ${p.heap_used_mb} MB (${p.heap_live_mb} MB live), RSS ${p.rss_mb} MB, external ${p.external_mb} MB; load ${p.load_average_1m}`
    )
  }
  console.log('ratios against the baseline (same server, same run):')
  console.log(
    `  GET /v1/me          throughput ${(me.rps / baseline.rps).toFixed(3)}x   p99 ${me.p99.toFixed(1)} ms`
  )
  console.log(
    `  GET school route    throughput ${(school.rps / baseline.rps).toFixed(3)}x   p99 ${school.p99.toFixed(1)} ms`
  )
  console.log(
    `  login               throughput ${(login.rps / baseline.rps).toFixed(4)}x   p99 ${login.p99.toFixed(1)} ms`
  )
  console.log(
    `API RSS: ${idleRssMb ?? 'n/a'} MB once started, peak ${rssBeforeLoginMb ?? 'n/a'} MB before the login phase, ${rssMb ?? 'n/a'} MB after it`
  )
  const errors = baseline.errors + me.errors + school.errors + login.errors
  if (errors) console.error(`${errors} requests failed: the figures above are not trustworthy`)

  if (process.env.BENCH_RESULT_FILE) {
    const round = (value: number, digits: number) => Number(value.toFixed(digits))
    await writeFile(
      process.env.BENCH_RESULT_FILE,
      JSON.stringify(
        {
          me_vs_trivial: round(me.rps / baseline.rps, 3),
          me_p99_ms: round(me.p99, 1),
          trivial_rps: round(baseline.rps, 0),
          me_rps: round(me.rps, 0),
          login_rps: round(login.rps, 1),
          api_rss_mb: rssMb,
          auth_api_rss_idle_mb: idleRssMb,
          auth_api_rss_before_login_phase_mb: rssBeforeLoginMb,
          auth_school_route_vs_trivial: round(school.rps / baseline.rps, 3),
          auth_school_route_rps: round(school.rps, 0),
          auth_school_route_p99_ms: round(school.p99, 1),
          auth_trivial_p99_ms: round(baseline.p99, 1),
          auth_login_p99_ms: round(login.p99, 1),
          auth_login_accounts: ACCOUNTS,
          auth_errors: errors,
          auth_api: built ? 'build' : 'source',
          auth_api_node_flags: API_NODE_FLAGS.join(' '),
          auth_load_average_1m: Number(loadavg()[0].toFixed(2)),
          auth_server_probes: { idle: idleProbe, ...probes },
        },
        null,
        2
      ) + '\n'
    )
  }
} finally {
  stopServer()
  await exited
  await rm(probeDir, { recursive: true, force: true })
  built?.remove()
  /* Leave nothing behind: the bench users and schools (their rows cascade or are deleted here). */
  if (schoolIds.length) {
    await db
      .connection('owner')
      .transaction(async (trx) => {
        await trx.from('memberships').whereIn('school_id', schoolIds).delete()
        await trx.from('schools').whereIn('id', schoolIds).delete()
      })
      .catch((error) => console.error(`cleanup (schools): ${error}`))
  }
  if (userIds.length) {
    await db
      .connection('owner')
      .from('users')
      .whereIn('id', userIds)
      .delete()
      .catch((error) => console.error(`cleanup (users): ${error}`))
  }
  await app.terminate()
}
