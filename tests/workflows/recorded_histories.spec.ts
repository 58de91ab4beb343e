import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import {
  allowOutbound,
  insertSource,
  jobsFixture,
  sendJson,
  startBoardServer,
} from '#tests/helpers/jobs_helpers'
import {
  eventually,
  mailsTo,
  recordHistory,
  startApiQueueWorker,
  unique,
  withWorkflowConfig,
} from '#tests/helpers/workflows_helpers'
import { startReport } from '#services/profiles/report_service'
import { startProfileNudges } from '#services/profiles/profile_nudges_service'
import { jobIngestion } from '#workflows/job_ingestion'
import { profileChanged } from '#workflows/profile_nudges'

/*
| The paths replay.spec.ts replays, run for real on the test server. With
| RECORD_WORKFLOW_HISTORIES=1 each test stores its history under tests/workflows/histories/
| (re-record after an intended, patched change to a workflow):
|   RECORD_WORKFLOW_HISTORIES=1 bin/test workflows --files=tests/workflows/recorded_histories.spec.ts
| Without it they are ordinary tests of these paths.
*/
async function temporal() {
  return app.container.make('temporal.client')
}

test.group('workflow paths recorded for replay', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('jobIngestion: a run pages, upserts and records its stats', async ({ assert, cleanup }) => {
    const worker = await startApiQueueWorker({ relay: false })
    cleanup(() => worker.stop())
    const board = await startBoardServer((_req, res, url) => {
      const postings = jobsFixture<any[]>('lever_postings.json')
      const skip = Number(url.searchParams.get('skip'))
      sendJson(res, 200, postings.slice(skip, skip + Number(url.searchParams.get('limit'))))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({ kind: 'lever', url: board.url, boardToken: 'globex' })
    const handle = await (
      await temporal()
    ).workflow.start(jobIngestion, {
      taskQueue: worker.taskQueue,
      workflowId: `ingest:${source.id}-recorded`,
      args: [{ sourceId: source.id, retry: { initialInterval: '1 second' } }],
    })
    const outcome = await handle.result()
    assert.equal(outcome.status, 'succeeded')
    assert.equal((outcome as any).stats.created, 4)
    const [started] = (await handle.fetchHistory()).events!.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'ingestSource'
    )
    // the heartbeat timeout stays well above the longest in-process wait (60 s)
    const heartbeat = Number(
      started.activityTaskScheduledEventAttributes!.heartbeatTimeout!.seconds ?? 0
    )
    assert.isAtLeast(heartbeat, 180)
    await recordHistory(handle, 'job_ingestion_succeeded')
  }).timeout(60_000)

  test('cohortReport: the CSV is generated and the report ready', async ({ assert, cleanup }) => {
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const school = await createSchool('recorded-report')
    const staff = await createUser(unique('report-staff'))
    await addMember(school.id, staff.id, 'staff')
    const learner = await createUser(unique('report-learner'))
    await addMember(school.id, learner.id, 'learner')
    const { row, workflowId } = await asOwner((trx) =>
      startReport(trx, { schoolId: school.id, cohortId: null, requestedBy: staff.id })
    )
    const handle = await eventually(
      async () => {
        const found = (await temporal()).workflow.getHandle(workflowId)
        return (await found.describe().catch(() => null)) ? found : null
      },
      { what: 'the report workflow' }
    )
    await handle.result()
    const report = await asOwner((trx) => trx.from('reports').where('id', row.id).first())
    assert.equal(report.status, 'ready')
    await recordHistory(handle, 'cohort_report_ready')
  }).timeout(60_000)

  test('staffInvitation: resent, then expired', async ({ client, assert, cleanup }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 second',
        'invitation.expiresAfter': '5 seconds',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const school = await createSchool('recorded-invite')
    const admin = await createUser(unique('admin-recorded'))
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken } = await login(admin.email)
    const email = unique('resend-expire')
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(accessToken)
      .json({ email, role: 'staff' })
    created.assertStatus(201)
    await mailsTo(email, 'You are invited')
    const resent = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/resend`)
      .bearerToken(accessToken)
    resent.assertStatus(200)
    await mailsTo(email, 'You are invited', 2)
    const handle = (await temporal()).workflow.getHandle(created.body().workflowId)
    assert.equal(await handle.result(), 'expired')
    await recordHistory(handle, 'staff_invitation_resent_expired')
  }).timeout(60_000)

  test('profileNudges: signals until it continues as new', async ({ assert, cleanup }) => {
    const offsets = app.config.get('workflows.nudges.offsets')
    cleanup(() => app.config.set('workflows.nudges.offsets', offsets))
    app.config.set('workflows.nudges.offsets', ['1 hour'])
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const school = await createSchool('recorded-nudges')
    const user = await createUser(unique('nudges'))
    const membershipId = await addMember(school.id, user.id, 'learner')
    await startProfileNudges(school.id, user.id, membershipId)
    const client = await temporal()
    const workflowId = `nudges:${school.id}:${user.id}`
    const latest = client.workflow.getHandle(workflowId)
    cleanup(async () => {
      await latest.terminate('test finished').catch(() => {})
    })
    const { runId } = await eventually(() => latest.describe().catch(() => null), {
      what: 'the nudges workflow',
    })
    const first = client.workflow.getHandle(workflowId, runId, { followRuns: false })

    // each signal makes one profile check (about ten history events); bounded at 200
    let status: string
    for (let signals = 0; ; signals++) {
      const before = await first.describe()
      status = before.status.name
      if (status !== 'RUNNING' || signals === 200) break
      // the check before may still be continuing the run as new: a closed run refuses signals
      await first.signal(profileChanged).catch((error) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error
      })
      await eventually(
        async () => {
          const now = await first.describe()
          return now.status.name !== 'RUNNING' || now.historyLength >= before.historyLength + 8
        },
        { what: 'the profile check after a signal' }
      )
    }
    assert.equal(status, 'CONTINUED_AS_NEW', 'the first run continued as new')
    const next = await latest.describe()
    assert.notEqual(next.runId, runId)
    assert.equal(next.status.name, 'RUNNING')
    await recordHistory(first as WorkflowHandle, 'profile_nudges_continued_as_new')
  }).timeout(120_000)

  test('mfaRecovery: an unverified request expires', async ({ client, assert, cleanup }) => {
    cleanup(
      withWorkflowConfig({
        'mfaRecovery.verifyWithin': '2 seconds',
        'mfaRecovery.coolingOff': '1 second',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const user = await createUser(unique('recorded-mfa'))
    await asOwner((trx) =>
      trx.table('mfa_totp_factors').insert({
        user_id: user.id,
        secret_encrypted: 'not-a-real-secret',
        confirmed_at: new Date(),
      })
    )
    ;(await client.post('/v1/auth/mfa/recovery').json({ email: user.email })).assertStatus(202)
    const handle = (await temporal()).workflow.getHandle(`mfa-recovery:${user.id}`)
    await eventually(() => handle.describe().catch(() => null), { what: 'the recovery workflow' })
    assert.equal(await handle.result(), 'expired')
    await recordHistory(handle, 'mfa_recovery_expired')
  }).timeout(60_000)
})
