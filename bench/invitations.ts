/*
| Invitation workflow benchmark, against baselines measured in the same run, on the same Temporal
| server and in this process:
|   - staffInvitation: invitation row written, workflow started, its mail sent (the real activity,
|     SMTP to Mailpit), accepted through the accept service (membership written, `accepted`
|     signal) and awaited to completion;
|   - sameShape (bench/workflows): the invitation's shape without its work — an empty activity,
|     a wait for a signal with a timer running, an empty activity; started, signalled once its
|     first activity finished, awaited. The goal is measured against this one;
|   - noop (bench/workflows): started, signalled, awaited. Context only.
| The baselines run on a bench-only worker (its own bundle and task queue); the invitations on a
| worker with the production workflows and activities, configured as `node ace temporal:worker`,
| and the outbox relay running as in the worker process.
| Then the same three with eager workflow start, and with autoscaling pollers and more slots.
|
|   node --import=@poppinss/ts-exec bench/invitations.ts     (env from bin/lib/app_env.sh; bin/bench)
|   BENCH_SIZE=tiny|full, BENCH_INVITATIONS (tiny 8, full 100), BENCH_CONCURRENCY (tiny 4, full 25),
|   BENCH_ROUNDS (tiny 1, full 5)
| Writes invitations_vs_same_shape and invitations_vs_noop (default worker) to BENCH_RESULT_FILE.
*/
import { bootApp } from '../tests/helpers/boot_app.js'
import { BENCH_SIZE, writeResult } from './lib/contract.js'

const app = await bootApp()

const { default: appService } = await import('@adonisjs/core/services/app')
const { default: encryption } = await import('@adonisjs/core/services/encryption')
const { default: db } = await import('@adonisjs/lucid/services/db')
const { Client } = await import('@temporalio/client')
const { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } =
  await import('@temporalio/worker')
const { withTenant } = await import('#services/platform/tenant_context')
const { newOpaqueToken } = await import('#services/identity/token_hash')
const { invitationWorkflowId } = await import('#services/tenancy/invitation_service')
const { accept } = await import('#services/tenancy/invitation_acceptance_service')
const { createActivities } = await import('#workflows/activities/index')
const { startOutboxRelay } = await import('#services/platform/outbox_relay')
const { workflowsEntry } = await import('#workflows/entry')
const { staffInvitation } = await import('#workflows/staff_invitation')
const { createBenchActivities } = await import('./workflows/activities.js')
const { noop, noopDone } = await import('./workflows/noop.js')
const { sameShape, sameShapeAccepted } = await import('./workflows/same_shape.js')

const tiny = BENCH_SIZE === 'tiny'
const N = Number(process.env.BENCH_INVITATIONS ?? (tiny ? 8 : 100))
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? (tiny ? 4 : 25))
/*
| Rounds of the three workloads per worker variant, after a warm-up of each (a worker's first
| workflow tasks load its bundle and fill its cache): each rate is the median of the rounds. One
| round each, cold, ranged 2.5-13 same-shape workflows/s between two runs minutes apart.
*/
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (tiny ? 1 : 5))
const WARMUP = Math.min(N, CONCURRENCY)
/* Every run finishes well before the reminder: its timer is started, then cancelled. */
const REMINDER_MS = 3_600_000
const RUN_TIMEOUT_MS = tiny ? 60_000 : 600_000
const config = appService.config.get<{ address: string; namespace: string }>('temporal')
Runtime.install({ logger: new DefaultLogger('WARN') })
const connection = await NativeConnection.connect({ address: config.address })
// A client on the workers' own connection: eager workflow start needs it.
const client = new Client({ connection, namespace: config.namespace })

/* The "mail went" moment of each run, told by the activity itself (no polling). */
const firstSteps = new Map<string, () => void>()
function firstStepDone(key: string) {
  return new Promise<void>((resolve) => firstSteps.set(key, resolve))
}
function tellFirstStep(key: string) {
  firstSteps.get(key)?.()
  firstSteps.delete(key)
}

const production = createActivities(appService)
const invitationActivities = {
  ...production,
  async sendInvitationMail(...args: Parameters<typeof production.sendInvitationMail>) {
    const sent = await production.sendInvitationMail(...args)
    tellFirstStep(args[3])
    return sent
  },
}

interface WorkerVariant {
  name: string
  eager: boolean
  options: Record<string, unknown>
}
/* `default` is what `node ace temporal:worker` runs (SDK defaults, 20 activity slots). */
const VARIANTS: WorkerVariant[] = [
  { name: 'default', eager: false, options: { maxConcurrentActivityTaskExecutions: 20 } },
  { name: 'eager start', eager: true, options: { maxConcurrentActivityTaskExecutions: 20 } },
  {
    name: 'autoscaling pollers, 100 slots',
    eager: false,
    options: {
      maxConcurrentActivityTaskExecutions: 100,
      maxConcurrentWorkflowTaskExecutions: 100,
      workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 2, initial: 5, maximum: 50 },
      activityTaskPollerBehavior: { type: 'autoscaling', minimum: 2, initial: 5, maximum: 50 },
    },
  },
]

const [productionBundle, benchBundle] = await Promise.all([
  bundleWorkflowCode({ workflowsPath: workflowsEntry(appService), logger: quietLogger() }),
  bundleWorkflowCode({
    workflowsPath: new URL('./workflows/index.ts', import.meta.url).pathname,
    logger: quietLogger(),
  }),
])

function quietLogger() {
  const nothing = () => {}
  return {
    trace: nothing,
    debug: nothing,
    info: nothing,
    warn: nothing,
    error: console.error,
    log: nothing,
  }
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++])
    })
  )
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: over ${RUN_TIMEOUT_MS} ms`)),
      RUN_TIMEOUT_MS
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const run = crypto.randomUUID().slice(0, 8)
const [school] = await withTenant({ platformScope: true }, (trx) =>
  trx
    .table('schools')
    .insert({ slug: `bench-${run}`, name: `Bench ${run}` })
    .returning('id')
)
const schoolId = school.id as string

/** Existing, confirmed accounts: accept then measures the workflow path, not argon2 hashing. */
async function invitees(label: string, count: number) {
  const emails = Array.from({ length: count }, (_, i) => `bench-${run}-${label}-${i}@bench.test`)
  const users: { id: string; email: string }[] = await db
    .table('users')
    .multiInsert(emails.map((email) => ({ email, email_verified_at: new Date() })))
    .returning(['id', 'email'])
  return users
}

let eagerlyStarted = 0

async function invitationsRun(taskQueue: string, eager: boolean, label: string, count = N) {
  const users = await invitees(label, count)
  const started = performance.now()
  await pool(users, async ({ id: userId, email }) => {
    const token = newOpaqueToken('inv_')
    const workflowId = invitationWorkflowId(schoolId, email)
    const [row] = await withTenant({ schoolId }, (trx) =>
      trx
        .table('invitations')
        .insert({
          school_id: schoolId,
          email,
          role: 'staff',
          token_hash: token.hash,
          workflow_id: workflowId,
          expires_at: new Date(Date.now() + 2 * REMINDER_MS),
        })
        .returning('id')
    )
    const mailed = firstStepDone(`${workflowId}:${row.id}:invite`)
    const handle = await client.workflow.start(staffInvitation, {
      taskQueue,
      workflowId,
      requestEagerStart: eager,
      args: [
        {
          invitationId: row.id,
          schoolId,
          email,
          tokenEncrypted: encryption.encrypt(token.value, undefined, 'invitation-token'),
          reminderAfter: REMINDER_MS,
          expiresAfter: 2 * REMINDER_MS,
        },
      ],
    })
    if (handle.eagerlyStarted) eagerlyStarted++
    await mailed
    // A confirmed account accepts as itself (the API takes this from the access token).
    await accept(null, token.value, {}, userId)
    const outcome = await handle.result()
    if (outcome !== 'accepted') throw new Error(`${email}: ${outcome}`)
  })
  return performance.now() - started
}

async function sameShapeRun(taskQueue: string, eager: boolean, label: string, count = N) {
  const keys = Array.from({ length: count }, (_, i) => `bench-same:${run}:${label}:${i}`)
  const started = performance.now()
  await pool(keys, async (key) => {
    const firstStep = firstStepDone(key)
    const handle = await client.workflow.start(sameShape, {
      taskQueue,
      workflowId: key,
      requestEagerStart: eager,
      args: [key, REMINDER_MS],
    })
    if (handle.eagerlyStarted) eagerlyStarted++
    await firstStep
    await handle.signal(sameShapeAccepted)
    const outcome = await handle.result()
    if (outcome !== 'accepted') throw new Error(`${key}: ${outcome}`)
  })
  return performance.now() - started
}

async function noopRun(taskQueue: string, eager: boolean, label: string, count = N) {
  const keys = Array.from({ length: count }, (_, i) => `bench-noop:${run}:${label}:${i}`)
  const started = performance.now()
  await pool(keys, async (workflowId) => {
    const handle = await client.workflow.start(noop, {
      taskQueue,
      workflowId,
      requestEagerStart: eager,
    })
    if (handle.eagerlyStarted) eagerlyStarted++
    await handle.signal(noopDone)
    await handle.result()
  })
  return performance.now() - started
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

interface Rates {
  variant: string
  noop: number
  sameShape: number
  invitations: number
  vsSameShape: number
  vsNoop: number
  eagerlyStarted: number
}

async function measure(variant: WorkerVariant, index: number): Promise<Rates> {
  const queue = `bench-${run}-${index}`
  const workers = await Promise.all([
    Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: `${queue}-invitations`,
      workflowBundle: productionBundle,
      activities: invitationActivities,
      ...variant.options,
    }),
    Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: `${queue}-baseline`,
      workflowBundle: benchBundle,
      activities: createBenchActivities(tellFirstStep),
      ...variant.options,
    }),
  ])
  const running = workers.map((worker) => worker.run())
  const runs = {
    noop: (label: string, count?: number) =>
      noopRun(`${queue}-baseline`, variant.eager, label, count),
    sameShape: (label: string, count?: number) =>
      sameShapeRun(`${queue}-baseline`, variant.eager, label, count),
    invitations: (label: string, count?: number) =>
      invitationsRun(`${queue}-invitations`, variant.eager, label, count),
  }
  try {
    for (const [name, workload] of Object.entries(runs)) {
      await bounded(workload(`v${index}-warm`, WARMUP), `${name} warm-up`)
    }
    eagerlyStarted = 0
    const rates: Record<keyof typeof runs, number[]> = { noop: [], sameShape: [], invitations: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, workload] of Object.entries(runs) as [
        keyof typeof runs,
        typeof runs.noop,
      ][]) {
        const ms = await bounded(workload(`v${index}-r${round}`), name)
        rates[name].push(N / (ms / 1000))
      }
    }
    // Ratios are paired by round (the same minute of the machine), then the median is taken.
    const ratios = (baseline: number[]) => median(rates.invitations.map((r, i) => r / baseline[i]))
    return {
      variant: variant.name,
      noop: median(rates.noop),
      sameShape: median(rates.sameShape),
      invitations: median(rates.invitations),
      vsSameShape: ratios(rates.sameShape),
      vsNoop: ratios(rates.noop),
      eagerlyStarted,
    }
  } finally {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown()
    await Promise.allSettled(running)
  }
}

// As in the worker process: the relay delivers what the API's fast path left (the `accepted`
// signal when the fast path's budget ran out).
const relay = startOutboxRelay(await appService.container.make('temporal.client'))
let exitCode = 0
try {
  const results: Rates[] = []
  for (const [index, variant] of VARIANTS.entries()) results.push(await measure(variant, index))

  console.log(
    `invitations: ${N} per run, concurrency ${CONCURRENCY}, median of ${ROUNDS} round(s) after a warm-up of ${WARMUP}, on ${config.address} (${BENCH_SIZE} size)`
  )
  console.log(
    `${'worker'.padEnd(32)} ${'no-op/s'.padStart(9)} ${'same-shape/s'.padStart(13)} ${'invitations/s'.padStart(14)}  vs same shape  vs no-op  eager starts`
  )
  for (const r of results) {
    console.log(
      `${r.variant.padEnd(32)} ${r.noop.toFixed(1).padStart(9)} ${r.sameShape.toFixed(1).padStart(13)} ${r.invitations.toFixed(1).padStart(14)}` +
        `  ${r.vsSameShape.toFixed(3).padStart(13)}  ${r.vsNoop.toFixed(3).padStart(8)}  ${String(r.eagerlyStarted).padStart(12)}`
    )
  }
  const [base, eager, tuned] = results
  writeResult({
    invitations_vs_same_shape: base.vsSameShape,
    invitations_vs_noop: base.vsNoop,
    invitations_eager_vs_same_shape: eager.vsSameShape,
    invitations_tuned_vs_same_shape: tuned.vsSameShape,
    invitations_rate: base.invitations,
    invitations_same_shape_rate: base.sameShape,
    invitations_noop_rate: base.noop,
    invitations_eager_rate: eager.invitations,
    invitations_eager_same_shape_rate: eager.sameShape,
    invitations_eager_started: eager.eagerlyStarted,
    invitations_tuned_rate: tuned.invitations,
    invitations_tuned_same_shape_rate: tuned.sameShape,
  })
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  await relay.stop()
  // The bench school, users and audit events stay (audit_events is append-only): bin/bench runs
  // on its own database, migrated fresh each time.
  await connection.close()
  await app.terminate()
}
process.exit(exitCode)
