/*
| Property-based conformance: Schemathesis (pinned, see tests/conformance/requirements.txt) runs
| every check, stateful phase included, against the test server, once per role. Credentials come
| from a small endpoint this file serves: each call signs the role in afresh through the API
| (password, then TOTP), so operations that end the caller's session get new credentials (see
| hooks.py). Any failure fails the test with Schemathesis' own summary.
|
| CONFORMANCE_SECONDS_PER_ROLE (default 45) bounds each run; CONFORMANCE_SEED (default fixed;
| `random` for a new one each run) picks the data. See README "Conformance testing".
*/
import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import hash from '@adonisjs/core/services/hash'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  freshCode,
  TEST_PASSWORD,
} from '#tests/helpers/fixtures'
import { seedConformanceData } from '#tests/conformance/seed'

const ROLES = ['learner', 'mentor', 'staff', 'school_admin', 'platform_admin'] as const
type Role = (typeof ROLES)[number]

const SECONDS_PER_ROLE = Number(process.env.CONFORMANCE_SECONDS_PER_ROLE ?? 45)
const SEED = process.env.CONFORMANCE_SEED ?? '15042026'
const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

let signIns = 0
const authenticators = new Map<string, string>()

/** A sign-in from its own client address, so the per-IP sign-in limit stays with the fuzzer. */
async function post(path: string, body: unknown, token?: string) {
  signIns += 1
  const response = await fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `198.18.${Math.floor(signIns / 250) % 250}.${(signIns % 250) + 1}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json().catch(() => ({}))) as any }
}

/** Signs in with password and TOTP (enrolling on first use), resetting what a fuzzed call changed. */
async function signIn(user: { id: string; email: string }): Promise<string> {
  let answer = await post('/v1/auth/login', { email: user.email, password: TEST_PASSWORD })
  if (answer.status === 401 || answer.status === 429) {
    // A fuzzed password change or lockout: put the account back the way the seed left it.
    const password = await hash.use('argon').make(TEST_PASSWORD)
    await asOwner((trx) => trx.from('users').where('id', user.id).update({ password }))
    answer = await post('/v1/auth/login', { email: user.email, password: TEST_PASSWORD })
  }
  if (answer.body.mfaEnrollmentRequired) {
    const enrolled = await post('/v1/me/mfa/totp', {}, answer.body.enrollmentToken)
    authenticators.set(user.email, enrolled.body.secret)
    answer = await post(
      '/v1/me/mfa/totp/confirm',
      { code: await freshCode(user.id, enrolled.body.secret) },
      answer.body.enrollmentToken
    )
  } else if (answer.body.mfaRequired) {
    answer = await post('/v1/auth/mfa/challenge', {
      challengeToken: answer.body.challengeToken,
      code: await freshCode(user.id, authenticators.get(user.email)!),
    })
  }
  if (answer.status !== 200 || !answer.body.accessToken) {
    throw new Error(
      `sign-in of ${user.email} answered ${answer.status}: ${JSON.stringify(answer.body)}`
    )
  }
  return answer.body.accessToken
}

function serveCredentials(next: () => Promise<unknown>): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    next().then(
      (data) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data)),
      (error) => response.writeHead(500).end(String(error?.message ?? error))
    )
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number }
      resolve({ server, url: `http://127.0.0.1:${address.port}/credentials` })
    })
  )
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, logPath: string) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', async (code) => {
      await writeFile(logPath, output)
      resolve({ code, output })
    })
  })
}

interface RunFigures {
  role: Role
  requests: number
  operations: number
  reached: string[]
  failures: number
}

const figures: RunFigures[] = []

test.group('Conformance (Schemathesis)', (group) => {
  let workDir: string
  group.setup(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'pathways-conformance-'))
  })
  group.teardown(() => {
    if (!figures.length) return
    const reached = new Set(figures.flatMap((f) => f.reached))
    const operations = Math.max(...figures.map((f) => f.operations))
    console.log(
      `[conformance] ${figures.reduce((n, f) => n + f.requests, 0)} requests, ` +
        `${reached.size}/${operations} operations answered 2xx at least once ` +
        `(${((100 * reached.size) / operations).toFixed(1)}%), ` +
        `${figures.reduce((n, f) => n + f.failures, 0)} failures; seed ${SEED}; logs in ${workDir}`
    )
  })

  for (const role of ROLES) {
    test(`the API conforms to its OpenAPI document, signed in as ${role}`, async ({ assert }) => {
      const schemathesis = process.env.PATHWAYS_SCHEMATHESIS
      assert.isString(schemathesis, 'PATHWAYS_SCHEMATHESIS is set by bin/test')

      const tag = `${role.replace('_', '-')}-${Date.now().toString(36)}`
      const school = await createSchool(`conf-${tag}`)
      const users: Record<string, { id: string; email: string }> = {}
      for (const member of ['learner', 'mentor', 'staff', 'school_admin'] as const) {
        users[member] = await createUser(`conf-${member}-${tag}@example.com`)
        await addMember(school.id, users[member].id, member)
      }
      users.platform_admin = await createUser(`conf-platform-${tag}@example.com`, {
        platformAdmin: true,
      })
      await createCohort(school.id, `Cohort ${tag}`)
      const seeded = await seedConformanceData(school.id, users)

      const { server, url } = await serveCredentials(async () => ({
        accessToken: await signIn(users[role]),
        ...seeded.credentials,
      }))
      try {
        const config = join(process.cwd(), 'tests/conformance/schemathesis.toml')
        const report = join(workDir, `${role}.json`)
        const args = [
          '--config-file',
          config,
          'run',
          `${baseUrl()}/openapi.json`,
          '--url',
          baseUrl(),
          '--checks',
          'all',
          '--max-time',
          String(SECONDS_PER_ROLE),
          // Few examples per operation in the single-operation phases leaves the time to the
          // stateful phase, which chains operations through the document's links.
          '--max-examples',
          process.env.CONFORMANCE_MAX_EXAMPLES ?? '10',
          '--workers',
          '1',
          '--generation-database',
          'none',
          '--request-timeout',
          '20',
          '--no-color',
          '--report',
          'json,ndjson',
          '--report-json-path',
          report,
          '--report-ndjson-path',
          report.replace(/\.json$/, '.ndjson'),
          ...(SEED === 'random' ? [] : ['--seed', SEED]),
          ...(process.env.CONFORMANCE_ARGS ?? '').split(' ').filter(Boolean),
        ]
        const result = await run(
          schemathesis!,
          args,
          {
            ...process.env,
            SCHEMATHESIS_HOOKS: 'hooks',
            PYTHONPATH: join(process.cwd(), 'tests/conformance'),
            PATHWAYS_CREDENTIALS_URL: url,
            PATHWAYS_SCHOOL_ID: school.id,
          },
          join(workDir, `${role}.log`)
        )
        const summary = await summarize(report, role)
        figures.push(summary)
        console.log(
          `[conformance] ${role}: ${summary.requests} requests, ${summary.reached.length}/${summary.operations} operations with a 2xx, ${summary.failures} failures`
        )
        if (result.code !== 0) {
          assert.fail(
            `Schemathesis found problems signed in as ${role} (exit ${result.code}; full log ${join(workDir, `${role}.log`)}):\n` +
              result.output.slice(
                result.output.indexOf('FAILURES') >= 0 ? result.output.indexOf('FAILURES') : -8000
              )
          )
        }
      } finally {
        server.close()
      }
    }).timeout((SECONDS_PER_ROLE + 120) * 1000)
  }
})

async function summarize(reportPath: string, role: Role): Promise<RunFigures> {
  const report = JSON.parse(await readFile(reportPath, 'utf8').catch(() => '{}'))
  return extractFigures(report, role)
}

/** Reads the figures out of Schemathesis' JSON run report. */
function extractFigures(report: any, role: Role): RunFigures {
  const rates: Record<string, Record<string, { accepted?: number }>> = report?.valid_rates ?? {}
  return {
    role,
    requests: Number(report?.test_cases?.generated ?? 0),
    operations: Number(report?.operations?.selected ?? 0),
    reached: Object.entries(rates)
      .filter(([, phases]) => Object.values(phases).some((phase) => Number(phase.accepted) > 0))
      .map(([operation]) => operation),
    failures: (report?.failures ?? []).reduce(
      (count: number, failure: { count?: number }) => count + Number(failure.count ?? 1),
      0
    ),
  }
}
