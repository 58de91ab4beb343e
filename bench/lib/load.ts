/*
| Load-test helpers shared by the HTTP benchmarks: a free loopback port, the API started as a
| child process, and a closed-loop load generator over undici (no autocannon), bounded in time
| and requests.
*/
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import type { Pool } from 'undici'

/*
| Children to stop when the benchmark ends, also when bin/bench's time bound kills it (SIGTERM):
| a benchmark never leaves a server behind.
*/
const stoppers = new Set<() => void>()
let signalsHandled = false
export function stopOnExit(stop: () => void) {
  stoppers.add(stop)
  process.on('exit', stop)
  if (!signalsHandled) {
    signalsHandled = true
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        for (const each of stoppers) each()
        process.exit(signal === 'SIGTERM' ? 143 : 130)
      })
    }
  }
}

export async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Resident set size of a process in MB (Linux /proc), or null. */
export function rssMb(pid: number | undefined) {
  if (!pid) return null
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : null
  } catch {
    return null
  }
}

/*
| CPU seconds used so far, by kind of process (Linux /proc, user + system): this one, PostgreSQL's
| processes, Java's (OpenSearch) and everything else. Differences between two readings say
| where a phase's CPU went; a process that exited in between is not counted.
*/
export type CpuReading = Record<'self' | 'postgres' | 'java' | 'other', number>
export function cpuReading(): CpuReading {
  const own = process.cpuUsage()
  const reading: CpuReading = {
    self: (own.user + own.system) / 1e6,
    postgres: 0,
    java: 0,
    other: 0,
  }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const name = stat.slice(stat.indexOf('(') + 1, close)
      // after "(name) ": state, ..., utime and stime are the 12th and 13th fields (clock ticks)
      const fields = stat.slice(close + 2).split(' ')
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100
      const kind = name === 'postgres' ? 'postgres' : name === 'java' ? 'java' : 'other'
      reading[kind] += seconds
    } catch {
      // gone meanwhile
    }
  }
  return reading
}

/** "self 1.2 s, postgres 3.4 s, …" per 1,000 items between two readings, and the share of the cores. */
export function cpuSpent(before: CpuReading, after: CpuReading, items: number, seconds: number) {
  const kinds = Object.keys(before) as (keyof CpuReading)[]
  const used = kinds.map((kind) => [kind, after[kind] - before[kind]] as const)
  const total = used.reduce((sum, [, value]) => sum + value, 0)
  const perThousand = used
    .map(([kind, value]) => `${kind} ${((value * 1000) / items).toFixed(2)}`)
    .join(', ')
  const cores = availableParallelism()
  return `${perThousand} CPU s per 1,000 (all ${((total * 1000) / items).toFixed(2)}; ${((100 * total) / (seconds * cores)).toFixed(0)}% of ${cores} cores)`
}

export async function waitFor(url: string, what: string, timeoutMs: number, alive?: () => boolean) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (alive && !alive()) throw new Error(`${what} exited`)
    const ok = await fetch(url)
      .then((response) => response.ok)
      .catch(() => false)
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s`)
}

/**
 * The API (bin/server.ts) on a free loopback port, in production mode, against the services
 * of the current environment; the global per-IP/per-token limits are lifted (one client address).
 */
export async function startApi(appRoot: string, env: Record<string, string> = {}) {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: appRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'production',
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
      RATE_LIMIT_PRINCIPAL_PER_MINUTE: '100000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  }
  stopOnExit(stop)
  await waitFor(`${origin}/health/live`, 'the API', 90_000, () => child.exitCode === null)
  return { origin, pid: child.pid, stop }
}

/*
| The compiled API, as the image runs it (`node bin/server.js` from build/, no TypeScript loader):
| the files git would commit are copied to a temporary directory (the worktree's build/ is left
| alone), `node ace build` compiles them, and node_modules is a symlink to the checkout's. Returns
| the build directory and a function that removes it. Takes a minute or two.
*/
export function buildApi(appRoot: string) {
  const work = mkdtempSync(join(tmpdir(), 'pathways-bench-build-'))
  const remove = () => rmSync(work, { recursive: true, force: true })
  try {
    const files = execFileSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], {
      cwd: appRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\0')
      .filter((file) => file && existsSync(join(appRoot, file)))
    execFileSync('tar', ['-cf', join(work, 'src.tar'), '--null', '-T', '-'], {
      cwd: appRoot,
      input: files.join('\0'),
      maxBuffer: 64 * 1024 * 1024,
    })
    const src = join(work, 'src')
    execFileSync('mkdir', ['-p', src])
    execFileSync('tar', ['-xf', join(work, 'src.tar'), '-C', src])
    symlinkSync(join(appRoot, 'node_modules'), join(src, 'node_modules'))
    execFileSync(process.execPath, ['ace', 'build'], {
      cwd: src,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 600_000,
    })
    symlinkSync(join(appRoot, 'node_modules'), join(src, 'build', 'node_modules'))
    return { dir: join(src, 'build'), remove }
  } catch (error) {
    remove()
    throw error
  }
}

export interface LoadResult {
  name: string
  requests: number
  errors: number
  rps: number
  p50: number
  p99: number
  firstError?: string
}

type Request = (n: number) => Parameters<Pool['request']>[0]
interface LoadOptions {
  connections: number
  seconds: number
  maxRequests: number
  /** runs before request `n` (e.g. to reset a counter), outside its timing */
  between?: (n: number) => Promise<void>
}
interface Raw {
  latencies: number[]
  errors: number
  elapsed: number
  firstError?: string
}

/** `connections` loops, each sending one request at a time, until the time or count bound. */
export async function load(
  name: string,
  pool: Pool,
  request: Request,
  options: LoadOptions
): Promise<LoadResult> {
  return summarize(name, await run(pool, request, options))
}

/*
| Several routes measured in alternating slices (A B C A B C ...), each slice `seconds / slices`
| long: on a machine shared with other work the load drifts within seconds, and sequential phases
| would compare a route measured in a quiet moment with one measured in a busy one. Interleaved,
| every route sees the same conditions and their ratios hold.
*/
export async function loadInterleaved(
  pool: Pool,
  routes: { name: string; request: Request }[],
  options: LoadOptions & { slices: number }
): Promise<LoadResult[]> {
  const slices = Math.max(1, Math.round(options.slices))
  const raws: Raw[] = routes.map(() => ({ latencies: [], errors: 0, elapsed: 0 }))
  const slice = {
    ...options,
    seconds: options.seconds / slices,
    maxRequests: Math.ceil(options.maxRequests / slices),
  }
  for (let i = 0; i < slices; i++) {
    for (const [index, route] of routes.entries()) {
      const raw = await run(pool, route.request, slice)
      const into = raws[index]
      for (const latency of raw.latencies) into.latencies.push(latency)
      into.errors += raw.errors
      into.elapsed += raw.elapsed
      into.firstError ??= raw.firstError
    }
  }
  return routes.map((route, index) => summarize(route.name, raws[index]))
}

async function run(pool: Pool, request: Request, options: LoadOptions): Promise<Raw> {
  const latencies: number[] = []
  let sent = 0
  let errors = 0
  let firstError: string | undefined
  const started = performance.now()
  const deadline = started + options.seconds * 1000
  const loop = async () => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      const n = sent++
      if (options.between) await options.between(n)
      const begin = performance.now()
      try {
        const response = await pool.request(request(n))
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
  await Promise.all(Array.from({ length: options.connections }, loop))
  return { latencies, errors, elapsed: (performance.now() - started) / 1000, firstError }
}

function summarize(name: string, { latencies, errors, elapsed, firstError }: Raw): LoadResult {
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
      : Number.NaN
  if (firstError) console.error(`${name}: first error: ${firstError}`)
  return {
    name,
    requests: latencies.length,
    errors,
    rps: (latencies.length - errors) / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    firstError,
  }
}

export function formatLoad(r: LoadResult) {
  return `${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  (${r.requests} requests, ${r.errors} errors)`
}
