/*
| Keycloak side by side (opt-in: bin/bench keycloak). In one run, on this machine:
|   - Keycloak (org.keycloak:keycloak-quarkus-dist, KEYCLOAK_VERSION, default 26.5.6, installed once by
|     bin/lib/keycloak_tools.sh into ~/.cache/pathways/tools) on Temurin 25, `start-dev` on a free
|     loopback port, its database a `keycloak` schema in the benchmark's PostgreSQL database (as the
|     API's); a realm, a public client with direct access grants and N users created through its admin
|     REST API; the realm's password policy argon2 with Pathways' parameters (config/hash.ts:
|     argon2id, version 0x13, 3 iterations, 65536 KiB, parallelism 1, 32-byte hash, 16-byte salt);
|   - the Pathways API (bin/server.ts, production mode) with the same N accounts and password.
| Then, same connections and duration for both, alternately:
|   - Keycloak password grant vs POST /v1/auth/login (accounts rotated, each from a known device;
|     client addresses rotated through X-Forwarded-For from loopback, so neither limiter nor lockout
|     answers instead of the login);
|   - Keycloak userinfo vs GET /v1/me (one token each).
| Writes login_vs_keycloak and me_vs_keycloak_userinfo (Pathways/Keycloak throughput) and raw
| keycloak_* figures to BENCH_RESULT_FILE. Stops Keycloak afterwards.
| Bounds: BENCH_SECONDS per phase (tiny 3, full 10), BENCH_MAX_REQUESTS per phase (100000),
| BENCH_ACCOUNTS (tiny 16, full 64). JAVA_HOME defaults to /usr/lib/jvm/temurin-25-jdk-amd64.
*/
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Pool } from 'undici'
import { bootApp } from '../tests/helpers/boot_app.js'
import { BENCH_SIZE, writeResult } from './lib/contract.js'
import {
  formatLoad,
  freePort,
  load,
  rssMb,
  startApi,
  stopOnExit,
  waitFor,
  type LoadResult,
} from './lib/load.js'

const app = await bootApp()
const { createUser, TEST_PASSWORD } = await import('#tests/helpers/fixtures')
const { default: db } = await import('@adonisjs/lucid/services/db')
const { argonParameters } = await import('#config/hash')

const tiny = BENCH_SIZE === 'tiny'
const SECONDS = Number(process.env.BENCH_SECONDS ?? (tiny ? 3 : 10))
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 100_000)
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? (tiny ? 16 : 64))
const LOGIN_CONNECTIONS = 8
const ME_CONNECTIONS = 64
const JAVA_HOME = process.env.KEYCLOAK_JAVA_HOME ?? '/usr/lib/jvm/temurin-25-jdk-amd64'
const REALM = 'bench'
const CLIENT_ID = 'bench-cli'

/* Pathways' argon2id parameters, from config/hash.ts (so the two sides never drift). */
const argonOptions = argonParameters

function ms(start: number) {
  return Math.round(performance.now() - start)
}

/* ---------------------------------------------------------------- Keycloak */

async function startKeycloak() {
  const installStarted = performance.now()
  const home = execFileSync('bin/lib/keycloak_tools.sh', {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
  const installMs = ms(installStarted)
  if (!existsSync(`${JAVA_HOME}/bin/java`))
    throw new Error(`no JDK at ${JAVA_HOME} (Keycloak 26 needs Java 21+)`)

  // Its own schema in the benchmark database, fresh each run.
  const owner = new URL(process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL!)
  await db.connection('owner').rawQuery('drop schema if exists keycloak cascade')
  await db.connection('owner').rawQuery('create schema keycloak')

  const [port, managementPort] = [await freePort(), await freePort()]
  const adminPassword = crypto.randomUUID()
  const started = performance.now()
  const child = spawn(
    `${home}/bin/kc.sh`,
    [
      'start-dev',
      '--http-host=127.0.0.1',
      `--http-port=${port}`,
      `--http-management-port=${managementPort}`,
      '--db=postgres',
      `--db-url=jdbc:postgresql://${owner.hostname}:${owner.port}${owner.pathname}`,
      `--db-username=${decodeURIComponent(owner.username)}`,
      `--db-password=${decodeURIComponent(owner.password)}`,
      '--db-schema=keycloak',
      '--log-level=WARN',
      // The argon2 provider with Pathways' parameters (the realm policy selects it).
      `--spi-password-hashing--argon2--type=${argonOptions.variant}`,
      `--spi-password-hashing--argon2--version=${argonOptions.version === 0x13 ? '1.3' : '1.0'}`,
      `--spi-password-hashing--argon2--iterations=${argonOptions.iterations}`,
      `--spi-password-hashing--argon2--memory=${argonOptions.memory}`,
      `--spi-password-hashing--argon2--parallelism=${argonOptions.parallelism}`,
      `--spi-password-hashing--argon2--hash-length=${argonOptions.hashLength}`,
    ],
    {
      env: {
        ...process.env,
        JAVA_HOME,
        KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
        KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        JAVA_OPTS_KC_HEAP: '-Xms256m -Xmx1g',
        // Java 24+: the worker threads' thread-local reset needs this (else every task logs an error).
        JAVA_OPTS_APPEND: '--add-opens java.base/java.lang=ALL-UNNAMED',
      },
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
    }
  )
  const stop = () => {
    // kc.sh and the JVM it starts are in their own process group (ours): end them together.
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {}
    }
  }
  stopOnExit(stop)
  const origin = `http://127.0.0.1:${port}`
  await waitFor(
    `${origin}/realms/master/.well-known/openid-configuration`,
    'Keycloak',
    300_000,
    () => child.exitCode === null
  )
  const startMs = ms(started)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    origin,
    adminPassword,
    installMs,
    startMs,
    javaPid: () => javaPidOf(child.pid!),
    async stop() {
      stop()
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {}
      }, 30_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/* The JVM is kc.sh's process (exec) or its child. */
function javaPidOf(pid: number) {
  try {
    const children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
    return Number(children.at(-1)) || pid
  } catch {
    return pid
  }
}

async function keycloakAdmin(origin: string, adminPassword: string) {
  let token = ''
  let fetchedAt = 0
  const adminToken = async () => {
    // The master realm's access tokens last a minute: fetch a fresh one every 30 s.
    if (Date.now() - fetchedAt > 30_000) {
      const response = await fetch(`${origin}/realms/master/protocol/openid-connect/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: 'admin-cli',
          username: 'admin',
          password: adminPassword,
        }),
      })
      if (!response.ok)
        throw new Error(`Keycloak admin token: ${response.status} ${await response.text()}`)
      token = ((await response.json()) as { access_token: string }).access_token
      fetchedAt = Date.now()
    }
    return token
  }
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${origin}/admin/realms${path}`, {
      method,
      headers: {
        'authorization': `Bearer ${await adminToken()}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok)
      throw new Error(`Keycloak ${method} ${path}: ${response.status} ${await response.text()}`)
    const text = await response.text()
    return text ? JSON.parse(text) : null
  }
}

async function setUpRealm(origin: string, adminPassword: string, emails: string[]) {
  const admin = await keycloakAdmin(origin, adminPassword)
  await admin('POST', '', {
    realm: REALM,
    enabled: true,
    // argon2 at Pathways' cost; hashIterations is the argon2 iteration count.
    passwordPolicy: `hashAlgorithm(argon2) and hashIterations(${argonOptions.iterations})`,
    // Pathways access tokens last 15 minutes.
    accessTokenLifespan: 900,
    bruteForceProtected: false,
  })
  await admin('POST', `/${REALM}/clients`, {
    clientId: CLIENT_ID,
    enabled: true,
    publicClient: true,
    directAccessGrantsEnabled: true,
    standardFlowEnabled: false,
  })
  let next = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < emails.length) {
        const email = emails[next++]
        await admin('POST', `/${REALM}/users`, {
          username: email,
          email,
          emailVerified: true,
          enabled: true,
          firstName: 'Bench',
          lastName: 'User',
          credentials: [{ type: 'password', value: TEST_PASSWORD, temporary: false }],
        })
      }
    })
  )
  // What Keycloak stored for the first user: proof of the hashing parameters.
  const [user] = await admin(
    'GET',
    `/${REALM}/users?username=${encodeURIComponent(emails[0])}&exact=true`
  )
  const [credential] = await admin('GET', `/${REALM}/users/${user.id}/credentials`)
  return JSON.parse(credential.credentialData) as {
    algorithm: string
    hashIterations: number
    additionalParameters?: Record<string, string[]>
  }
}

/* ---------------------------------------------------------------- run */

const run = crypto.randomUUID().slice(0, 8)
const emails = Array.from({ length: ACCOUNTS }, (_, i) => `kc-${run}-${i}@bench.test`)
let keycloak: Awaited<ReturnType<typeof startKeycloak>> | undefined
let api: Awaited<ReturnType<typeof startApi>> | undefined
let exitCode = 0
try {
  keycloak = await startKeycloak()
  console.log(
    `Keycloak ${process.env.KEYCLOAK_VERSION ?? '26.5.6'} on ${keycloak.origin}: install step ${(keycloak.installMs / 1000).toFixed(1)} s, start ${(keycloak.startMs / 1000).toFixed(1)} s`
  )
  const setupStarted = performance.now()
  const stored = await setUpRealm(keycloak.origin, keycloak.adminPassword, emails)
  console.log(
    `realm "${REALM}", client "${CLIENT_ID}", ${ACCOUNTS} users in ${(ms(setupStarted) / 1000).toFixed(1)} s; ` +
      `stored hash: ${stored.algorithm}, iterations ${stored.hashIterations}, ${JSON.stringify(stored.additionalParameters ?? {})}`
  )
  console.log(
    `Pathways argon2: argon2${argonOptions.variant} v0x${argonOptions.version.toString(16)}, t=${argonOptions.iterations}, m=${argonOptions.memory} KiB, p=${argonOptions.parallelism}, ${argonOptions.hashLength}-byte hash, ${argonOptions.saltSize}-byte salt`
  )

  for (const email of emails) await createUser(email)
  api = await startApi(app.appRoot.pathname, { TRUSTED_PROXIES: 'loopback' })

  const pathways = new Pool(api.origin, { connections: ME_CONNECTIONS, pipelining: 1 })
  const kc = new Pool(keycloak.origin, { connections: ME_CONNECTIONS, pipelining: 1 })
  // Rotated client addresses (benchmark range, RFC 2544) so the per-IP sign-in throttle never answers.
  const forwardedFor = (n: number) => `198.18.${(n >> 8) & 255}.${n & 255}`

  // Each account signs in once (a known device afterwards, as a returning user); the same for Keycloak.
  const devices: { deviceId: string; deviceToken: string }[] = []
  let firstToken = ''
  for (const [i, email] of emails.entries()) {
    const response = await fetch(`${api.origin}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor(60_000 + i) },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    })
    const session = (await response.json()) as {
      accessToken: string
      deviceId: string
      deviceToken: string
    }
    if (!session.accessToken) throw new Error(`Pathways login answered ${response.status}`)
    devices.push({ deviceId: session.deviceId, deviceToken: session.deviceToken })
    firstToken ||= session.accessToken
  }
  const grant = async (email: string) => {
    const response = await fetch(
      `${keycloak!.origin}/realms/${REALM}/protocol/openid-connect/token`,
      {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: CLIENT_ID,
          username: email,
          password: TEST_PASSWORD,
          scope: 'openid',
        }),
      }
    )
    if (!response.ok)
      throw new Error(`Keycloak password grant: ${response.status} ${await response.text()}`)
    return ((await response.json()) as { access_token: string }).access_token
  }
  const kcToken = await grant(emails[0])

  const loginPhase = { connections: LOGIN_CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS }
  const mePhase = { connections: ME_CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS }
  const pathwaysLogin = (n: number) => {
    const i = n % ACCOUNTS
    return {
      path: '/v1/auth/login',
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor(n) },
      body: JSON.stringify({ email: emails[i], password: TEST_PASSWORD, ...devices[i] }),
    }
  }
  const keycloakGrant = (n: number) => ({
    path: `/realms/${REALM}/protocol/openid-connect/token`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: CLIENT_ID,
      username: emails[n % ACCOUNTS],
      password: TEST_PASSWORD,
      scope: 'openid',
    }).toString(),
  })
  const pathwaysMe = () => ({
    path: '/v1/me',
    method: 'GET' as const,
    headers: { authorization: `Bearer ${firstToken}` },
  })
  const keycloakUserinfo = () => ({
    path: `/realms/${REALM}/protocol/openid-connect/userinfo`,
    method: 'GET' as const,
    headers: { authorization: `Bearer ${kcToken}` },
  })

  // Warm-up (JIT on both sides, pools), not reported.
  const warm = { seconds: tiny ? 1 : 3, maxRequests: MAX_REQUESTS }
  await load('warmup', kc, keycloakGrant, { ...warm, connections: LOGIN_CONNECTIONS })
  await load('warmup', pathways, pathwaysLogin, { ...warm, connections: LOGIN_CONNECTIONS })
  await load('warmup', kc, keycloakUserinfo, { ...warm, connections: ME_CONNECTIONS })
  await load('warmup', pathways, pathwaysMe, { ...warm, connections: ME_CONNECTIONS })

  const results: LoadResult[] = []
  const kcLogin = await load(
    `Keycloak password grant (${LOGIN_CONNECTIONS} conn.)`,
    kc,
    keycloakGrant,
    loginPhase
  )
  const pwLogin = await load(
    `Pathways POST /v1/auth/login (${LOGIN_CONNECTIONS} conn.)`,
    pathways,
    pathwaysLogin,
    loginPhase
  )
  const kcUserinfo = await load(
    `Keycloak userinfo (${ME_CONNECTIONS} conn.)`,
    kc,
    keycloakUserinfo,
    mePhase
  )
  const pwMe = await load(
    `Pathways GET /v1/me (${ME_CONNECTIONS} conn.)`,
    pathways,
    pathwaysMe,
    mePhase
  )
  results.push(kcLogin, pwLogin, kcUserinfo, pwMe)
  const apiRss = rssMb(api.pid)
  const keycloakRss = rssMb(keycloak.javaPid())
  await Promise.all([pathways.close(), kc.close()])

  console.log(`side by side, ${SECONDS} s per phase, ${ACCOUNTS} accounts (${BENCH_SIZE} size)`)
  for (const r of results) console.log(formatLoad(r))
  const loginRatio = pwLogin.rps / kcLogin.rps
  const meRatio = pwMe.rps / kcUserinfo.rps
  console.log(
    `login vs Keycloak password grant: ${loginRatio.toFixed(3)}x   GET /v1/me vs userinfo: ${meRatio.toFixed(3)}x`
  )
  console.log(
    `RSS after the load: API ${apiRss?.toFixed(0)} MB, Keycloak JVM ${keycloakRss?.toFixed(0)} MB`
  )
  const failed = results.find((r) => r.errors > r.requests / 10)
  if (failed)
    throw new Error(
      `${failed.name}: ${failed.errors} errors of ${failed.requests} (${failed.firstError})`
    )

  writeResult({
    login_vs_keycloak: loginRatio,
    me_vs_keycloak_userinfo: meRatio,
    keycloak_login_rps: kcLogin.rps,
    keycloak_login_p99_ms: kcLogin.p99,
    keycloak_pathways_login_rps: pwLogin.rps,
    keycloak_pathways_login_p99_ms: pwLogin.p99,
    keycloak_userinfo_rps: kcUserinfo.rps,
    keycloak_userinfo_p99_ms: kcUserinfo.p99,
    keycloak_pathways_me_rps: pwMe.rps,
    keycloak_pathways_me_p99_ms: pwMe.p99,
    keycloak_start_s: keycloak.startMs / 1000,
    keycloak_install_s: keycloak.installMs / 1000,
    keycloak_rss_mb: keycloakRss,
  })
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  api?.stop()
  await keycloak?.stop()
  await db
    .connection('owner')
    .rawQuery('drop schema if exists keycloak cascade')
    .catch(() => {})
  await app.terminate()
}
process.exit(exitCode)
