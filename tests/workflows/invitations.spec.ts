import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  login,
} from '#tests/helpers/fixtures'
import { messagesTo, messageText } from '#tests/helpers/mailpit'
import {
  eventually,
  mailsTo,
  recordHistory,
  startApiQueueWorker,
  unique,
  withWorkflowConfig,
} from '#tests/helpers/workflows_helpers'
import { InviteStatusKey, SchoolIdKey, WorkflowKindKey } from '#workflows/search_attributes'
import { sendOnce } from '#services/platform/notification_service'
import { InvitationMail } from '#mails/platform/workflow_mails'

const PASSWORD = 'a brand new passphrase 77'

async function adminOf(slug: string) {
  const school = await createSchool(slug)
  const admin = await createUser(unique(`admin-${slug}`))
  await addMember(school.id, admin.id, 'school_admin')
  const { accessToken } = await login(admin.email)
  return { school, admin, token: accessToken }
}

async function tokenOf(address: string, subjectPart = 'You are invited') {
  const [message] = await mailsTo(address, subjectPart)
  const text = await messageText(message.ID)
  return text.match(/Invitation token: (\S+)/)![1]
}

async function temporal() {
  return app.container.make('temporal.client')
}

test.group('staffInvitation workflow (real Temporal dev server)', (group) => {
  // The workflows suite has no HTTP server of its own: these tests drive the API.
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('happy path: invite, mail, show, accept with a new account, membership + cohort, workflow accepted', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '2 hours',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, token } = await adminOf('inv-happy')
    const cohortId = await createCohort(school.id, 'Autumn')
    const email = unique('learner')

    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'learner', cohortIds: [cohortId] })
    created.assertStatus(201)
    assert.equal(created.body().status, 'pending')
    assert.equal(created.body().workflowId, `invitation:${school.id}:${email}`)

    const duplicate = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email: email.toUpperCase(), role: 'staff' })
    duplicate.assertStatus(409)
    assert.include(duplicate.header('content-type'), 'application/problem+json')
    assert.equal(duplicate.body().invitation.id, created.body().id)

    const handle = (await temporal()).workflow.getHandle(created.body().workflowId)
    const described = await handle.describe()
    assert.equal(described.typedSearchAttributes.get(SchoolIdKey), school.id)
    assert.equal(described.typedSearchAttributes.get(WorkflowKindKey), 'invitation')
    assert.equal(described.typedSearchAttributes.get(InviteStatusKey), 'pending')

    const inviteToken = await tokenOf(email)
    const shown = await client.get(`/v1/invitations/${inviteToken}`)
    shown.assertStatus(200)
    assert.deepEqual(
      {
        school: shown.body().school.name,
        role: shown.body().role,
        exists: shown.body().accountExists,
      },
      { school: 'School inv-happy', role: 'learner', exists: false }
    )

    const weak = await client
      .post(`/v1/invitations/${inviteToken}/accept`)
      .json({ password: 'short' })
    weak.assertStatus(422)

    const accepted = await client
      .post(`/v1/invitations/${inviteToken}/accept`)
      .json({ password: PASSWORD, fullName: 'New Learner' })
    accepted.assertStatus(201)
    assert.equal(accepted.body().role, 'learner')

    assert.equal(await handle.result(), 'accepted')
    const after = await handle.describe()
    assert.equal(after.typedSearchAttributes.get(InviteStatusKey), 'accepted')

    const { accessToken } = await login(email, PASSWORD)
    assert.isString(accessToken)
    const rows = await asOwner(async (trx) => ({
      user: await trx.from('users').where('email', email).first(),
      membership: await trx.from('memberships').where('id', accepted.body().membershipId).first(),
      cohort: await trx
        .from('cohort_members')
        .where('membership_id', accepted.body().membershipId)
        .first(),
      invitation: await trx.from('invitations').where('id', created.body().id).first(),
    }))
    assert.isNotNull(rows.user.email_verified_at)
    assert.equal(rows.membership.role, 'learner')
    assert.equal(rows.cohort.cohort_id, cohortId)
    assert.equal(rows.invitation.status, 'accepted')

    const again = await client
      .post(`/v1/invitations/${inviteToken}/accept`)
      .json({ password: PASSWORD })
    again.assertStatus(410)
    assert.include(again.header('content-type'), 'application/problem+json')
    ;(await client.get(`/v1/invitations/${inviteToken}`)).assertStatus(410)

    // A learner joined: their profile nudges run.
    const nudges = await (
      await temporal()
    ).workflow
      .getHandle(`nudges:${school.id}:${accepted.body().userId}`)
      .describe()
    assert.equal(nudges.type, 'profileNudges')
    await (
      await temporal()
    ).workflow
      .getHandle(`nudges:${school.id}:${accepted.body().userId}`)
      .cancel()
    await recordHistory(handle, 'staff_invitation_accepted')
  })

  test('an existing confirmed account accepts signed in, without a password, and keeps it', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '2 hours',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, token } = await adminOf('inv-existing')
    const existing = await createUser(unique('mentor'))
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email: existing.email, role: 'mentor' })
    created.assertStatus(201)
    const inviteToken = await tokenOf(existing.email)
    assert.isTrue((await client.get(`/v1/invitations/${inviteToken}`)).body().accountExists)
    const { accessToken } = await login(existing.email)
    const accepted = await client
      .post(`/v1/invitations/${inviteToken}/accept`)
      .bearerToken(accessToken)
      .json({})
    accepted.assertStatus(201)
    assert.equal(accepted.body().userId, existing.id)
    const result = await (await temporal()).workflow.getHandle(created.body().workflowId).result()
    assert.equal(result, 'accepted')
  })

  test('reminder then expiry with short configured durations; expired token answers 410', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 second',
        'invitation.expiresAfter': '3 seconds',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, token } = await adminOf('inv-expiry')
    const email = unique('late')
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    created.assertStatus(201)
    const handle = (await temporal()).workflow.getHandle(created.body().workflowId)
    assert.equal(await handle.result(), 'expired')

    const mails = await messagesTo(email)
    assert.lengthOf(
      mails.filter((m) => m.Subject.startsWith('You are invited')),
      1
    )
    assert.lengthOf(
      mails.filter((m) => m.Subject.startsWith('Reminder')),
      1
    )
    assert.equal((await handle.describe()).typedSearchAttributes.get(InviteStatusKey), 'expired')

    const inviteToken = await tokenOf(email)
    const response = await client
      .post(`/v1/invitations/${inviteToken}/accept`)
      .json({ password: PASSWORD })
    response.assertStatus(410)

    const list = await client
      .get(`/v1/schools/${school.id}/invitations`)
      .qs({ status: 'expired' })
      .bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((i: { id: string }) => i.id),
      [created.body().id]
    )
    await recordHistory(handle, 'staff_invitation_expired')
  })

  test('revoke (signal) ends the workflow as revoked and kills the token', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '2 hours',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, token } = await adminOf('inv-revoke')
    const email = unique('revoked')
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    const inviteToken = await tokenOf(email)
    const revoked = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/revoke`)
      .bearerToken(token)
    revoked.assertStatus(202)
    const handle = (await temporal()).workflow.getHandle(created.body().workflowId)
    assert.equal(await handle.result(), 'revoked')
    ;(await client.get(`/v1/invitations/${inviteToken}`)).assertStatus(410)
    ;(
      await client.post(`/v1/invitations/${inviteToken}/accept`).json({ password: PASSWORD })
    ).assertStatus(410)
    const pending = await client
      .get(`/v1/schools/${school.id}/invitations`)
      .qs({ status: 'pending' })
      .bearerToken(token)
    assert.lengthOf(pending.body().data, 0)
    // Revoked: the same address may be invited again (same workflow id, new run).
    const reinvite = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    reinvite.assertStatus(201)
    await mailsTo(email, 'You are invited', 2)
    await client
      .post(`/v1/schools/${school.id}/invitations/${reinvite.body().id}/revoke`)
      .bearerToken(token)
    await recordHistory(handle, 'staff_invitation_revoked')
  })

  test('resend (update) mails again and returns a later expiry', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '1 hour',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, token } = await adminOf('inv-resend')
    const email = unique('resend')
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    await mailsTo(email, 'You are invited')
    const resent = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/resend`)
      .bearerToken(token)
    resent.assertStatus(200)
    assert.isAbove(Date.parse(resent.body().expiresAt), Date.parse(created.body().expiresAt))
    await mailsTo(email, 'You are invited', 2)
    const list = await client.get(`/v1/schools/${school.id}/invitations`).bearerToken(token)
    assert.equal(list.body().data[0].expiresAt, resent.body().expiresAt)
    await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/revoke`)
      .bearerToken(token)
    const handle = (await temporal()).workflow.getHandle(created.body().workflowId)
    assert.equal(await handle.result(), 'revoked')
    await recordHistory(handle, 'staff_invitation_resent')
  })

  test('a worker stopped right after the email activity; a new worker completes it; exactly one mail', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '2 hours',
      })
    )
    const first = await startApiQueueWorker()
    const { school, token } = await adminOf('inv-crash')
    const email = unique('crash')
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    const handle = (await temporal()).workflow.getHandle(created.body().workflowId)
    // The mail activity completed (recorded in the history), then the worker goes away.
    await eventually(
      async () => {
        const history = await handle.fetchHistory()
        return history.events?.some((event) => event.activityTaskCompletedEventAttributes)
      },
      { what: 'the mail activity to complete' }
    )
    await first.stop()

    const inviteToken = await tokenOf(email)
    const second = await startApiQueueWorker()
    cleanup(() => second.stop())
    ;(
      await client.post(`/v1/invitations/${inviteToken}/accept`).json({ password: PASSWORD })
    ).assertStatus(201)
    assert.equal(await handle.result(), 'accepted')
    assert.lengthOf(await messagesTo(email), 1)
  })

  test('a retried mail activity with the same idempotency key sends once', async ({ assert }) => {
    const email = unique('retry')
    const key = `invitation:test:${email}:invite`
    const message = () =>
      new InvitationMail(email, {
        kind: 'invitation',
        schoolName: 'Once only',
        role: 'staff',
        expiresAt: new Date(),
        token: 'x',
      })
    const first = await sendOnce(key, message())
    const again = await Promise.all([sendOnce(key, message()), sendOnce(key, message())])
    assert.isTrue(first)
    assert.deepEqual(again, [false, false])
    await mailsTo(email, 'Once only')
    assert.lengthOf(await messagesTo(email), 1)
  })

  test('list: cursor pagination, status filter, permission members.invite, tenant isolation', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '2 hours',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, token } = await adminOf('inv-list')
    const other = await adminOf('inv-other')
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const response = await client
        .post(`/v1/schools/${school.id}/invitations`)
        .bearerToken(token)
        .json({ email: unique(`page${i}`), role: 'staff' })
      ids.push(response.body().id)
    }
    const page1 = await client
      .get(`/v1/schools/${school.id}/invitations`)
      .qs({ limit: 2 })
      .bearerToken(token)
    assert.lengthOf(page1.body().data, 2)
    assert.isString(page1.body().nextCursor)
    const page2 = await client
      .get(`/v1/schools/${school.id}/invitations`)
      .qs({ limit: 2, cursor: page1.body().nextCursor })
      .bearerToken(token)
    assert.lengthOf(page2.body().data, 1)
    assert.isNull(page2.body().nextCursor)
    assert.sameMembers(
      [...page1.body().data, ...page2.body().data].map((i: { id: string }) => i.id),
      ids
    )
    const foreign = await client
      .get(`/v1/schools/${other.school.id}/invitations`)
      .bearerToken(other.token)
    assert.lengthOf(foreign.body().data, 0)
    ;(
      await client
        .post(`/v1/schools/${other.school.id}/invitations/${ids[0]}/revoke`)
        .bearerToken(other.token)
    ).assertStatus(404)

    const learner = await createUser(unique('plain'))
    await addMember(school.id, learner.id, 'learner')
    const learnerToken = (await login(learner.email)).accessToken
    ;(
      await client
        .post(`/v1/schools/${school.id}/invitations`)
        .bearerToken(learnerToken)
        .json({ email: unique('nope'), role: 'staff' })
    ).assertStatus(403)
    for (const id of ids) {
      await client.post(`/v1/schools/${school.id}/invitations/${id}/revoke`).bearerToken(token)
    }
  })
})
