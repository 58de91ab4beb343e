/*
| Invitation workflow benchmark: N staffInvitation workflows started, their invitation mail
| sent (real activity, SMTP to Mailpit), accepted through the accept service (membership
| written, `accepted` signal) and awaited to completion — against a no-op workflow started,
| signalled and awaited the same way, on the same server and in-process worker, same run.
|
|   node --import=@poppinss/ts-exec bench/invitations.ts     (env from bin/lib/app_env.sh)
|   BENCH_INVITATIONS=200 BENCH_CONCURRENCY=50 ...
*/
import { bootApp } from '../tests/helpers/boot_app.js'

const app = await bootApp()

const { default: appService } = await import('@adonisjs/core/services/app')
const { default: encryption } = await import('@adonisjs/core/services/encryption')
const { default: db } = await import('@adonisjs/lucid/services/db')
const { NativeConnection, Worker } = await import('@temporalio/worker')
const { withTenant } = await import('#services/tenant_context')
const { newOpaqueToken } = await import('#services/token_hash')
const { invitationWorkflowId } = await import('#services/invitation_service')
const { accept } = await import('#services/invitation_acceptance_service')
const { createActivities } = await import('#workflows/activities/index')
const { workflowsEntry } = await import('#workflows/entry')

const N = Number(process.env.BENCH_INVITATIONS ?? 100)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 25)
const config = appService.config.get<{ address: string; namespace: string }>('temporal')
const taskQueue = `bench-invitations-${crypto.randomUUID()}`
const client = await appService.container.make('temporal.client')

const connection = await NativeConnection.connect({ address: config.address })
const worker = await Worker.create({
  connection,
  namespace: config.namespace,
  taskQueue,
  workflowsPath: workflowsEntry(appService),
  activities: createActivities(appService),
  maxConcurrentActivityTaskExecutions: 50,
})
const running = worker.run()

async function pool<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++])
    })
  )
}

const run = crypto.randomUUID().slice(0, 8)
const [school] = await withTenant({ platformScope: true }, (trx) =>
  trx
    .table('schools')
    .insert({ slug: `bench-${run}`, name: `Bench ${run}` })
    .returning('id')
)
const schoolId = school.id as string
const emails = Array.from({ length: N }, (_, i) => `bench-${run}-${i}@bench.test`)
// Existing accounts: accept then measures the workflow path, not argon2 hashing.
const users: { id: string; email: string }[] = await db
  .table('users')
  .multiInsert(emails.map((email) => ({ email, email_verified_at: new Date() })))
  .returning(['id', 'email'])
const userIdOf = new Map(users.map((user) => [user.email, user.id]))

async function waitSent(key: string) {
  for (let i = 0; i < 600; i++) {
    const row = await db
      .from('sent_notifications')
      .where('idempotency_key', key)
      .whereNotNull('sent_at')
      .first()
    if (row) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`mail ${key} not sent`)
}

async function invitationsRun() {
  const started = performance.now()
  await pool(emails, async (email) => {
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
          expires_at: new Date(Date.now() + 3_600_000),
        })
        .returning('id')
    )
    const handle = await client.workflow.start('staffInvitation', {
      taskQueue,
      workflowId,
      args: [
        {
          invitationId: row.id,
          schoolId,
          email,
          tokenEncrypted: encryption.encrypt(token.value, undefined, 'invitation-token'),
          reminderAfter: '1 hour',
          expiresAfter: '1 hour',
        },
      ],
    })
    await waitSent(`${workflowId}:${row.id}:invite`)
    // A confirmed account accepts as itself (the API takes this from the access token).
    await accept(null, token.value, {}, userIdOf.get(email)!)
    const outcome = await handle.result()
    if (outcome !== 'accepted') throw new Error(`${email}: ${outcome}`)
  })
  return performance.now() - started
}

async function noopRun() {
  const started = performance.now()
  await pool(emails, async (email) => {
    const handle = await client.workflow.start('noop', {
      taskQueue,
      workflowId: `bench-noop:${run}:${email}`,
    })
    await handle.signal('done')
    await handle.result()
  })
  return performance.now() - started
}

const noopMs = await noopRun()
const invitationsMs = await invitationsRun()
const noopRate = N / (noopMs / 1000)
const invitationRate = N / (invitationsMs / 1000)
console.log(`invitations: ${N} (concurrency ${CONCURRENCY}) on ${config.address}`)
console.log(`no-op workflow (start, signal, complete): ${noopRate.toFixed(1)} workflows/s`)
console.log(
  `staffInvitation (start, mail, accept, complete): ${invitationRate.toFixed(1)} invitations/s`
)
console.log(`ratio invitation/no-op: ${(invitationRate / noopRate).toFixed(3)}`)

// The bench school, users and audit events stay (audit_events is append-only): use a test database.
worker.shutdown()
await running
await connection.close()
await app.terminate()
