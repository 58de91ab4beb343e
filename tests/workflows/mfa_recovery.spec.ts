import { test } from '@japa/runner'
import { WorkflowNotFoundError } from '@temporalio/client'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { messagesTo, messageText } from '#tests/helpers/mailpit'
import {
  eventually,
  mailsTo,
  recordHistory,
  startApiQueueWorker,
  unique,
  withWorkflowConfig,
} from '#tests/helpers/workflows_helpers'
import { requestRecovery } from '#services/identity/mfa_recovery_service'

async function userWithTotp(prefix: string, options: { signIn?: boolean } = {}) {
  const user = await createUser(unique(prefix))
  // Sign in before the factor exists, so the session is a real one to revoke.
  const session = options.signIn ? await login(user.email) : null
  await asOwner(async (trx) => {
    await trx.table('mfa_totp_factors').insert({
      user_id: user.id,
      secret_encrypted: 'not-a-real-secret',
      confirmed_at: new Date(),
    })
    await trx
      .table('mfa_recovery_codes')
      .insert({ user_id: user.id, code_hash: Buffer.from(prefix), code_salt: Buffer.alloc(16) })
  })
  return Object.assign(user, { session })
}

async function mailToken(address: string, subjectPart: string, label: string) {
  const [message] = await mailsTo(address, subjectPart)
  const text = await messageText(message.ID)
  return text.match(new RegExp(`${label}: (\\S+)`))![1]
}

async function factorsOf(userId: string) {
  return asOwner(async (trx) => ({
    totp: (await trx.from('mfa_totp_factors').where('user_id', userId)).length,
    codes: (await trx.from('mfa_recovery_codes').where('user_id', userId)).length,
  }))
}

async function handleFor(userId: string) {
  const client = await app.container.make('temporal.client')
  return client.workflow.getHandle(`mfa-recovery:${userId}`)
}

async function recoveryId(userId: string) {
  return eventually(
    () =>
      asOwner((trx) => trx.from('mfa_recoveries').where('user_id', userId).select('id').first()),
    { what: 'the recovery row' }
  ).then((row) => row.id as string)
}

test.group('mfaRecovery workflow (real Temporal dev server)', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('happy path: 202, verify link, cooling-off, factors removed, sessions revoked, audit, confirmation', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'mfaRecovery.verifyWithin': '1 minute',
        'mfaRecovery.coolingOff': '2 seconds',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const user = await userWithTotp('recover', { signIn: true })
    ;(await client.get('/v1/me').bearerToken(user.session!.accessToken)).assertStatus(200)

    const unknown = await client.post('/v1/auth/mfa/recovery').json({ email: unique('nobody') })
    const response = await client.post('/v1/auth/mfa/recovery').json({ email: user.email })
    response.assertStatus(202)
    unknown.assertStatus(202)
    assert.deepEqual(response.body(), unknown.body())

    const verifyToken = await mailToken(
      user.email,
      'confirm your second-factor recovery',
      'Recovery token'
    )
    const verified = await client.post('/v1/auth/mfa/recovery/verify').json({ token: verifyToken })
    verified.assertStatus(200)
    await mailsTo(user.email, 'a recovery of your second factor was requested')

    const handle = await handleFor(user.id)
    assert.equal(await handle.result(), 'completed')
    assert.deepEqual(await factorsOf(user.id), { totp: 0, codes: 0 })
    await mailsTo(user.email, 'your second factor was reset')
    const state = await asOwner(async (trx) => ({
      openFamilies: (
        await trx.from('refresh_token_families').where('user_id', user.id).whereNull('revoked_at')
      ).length,
      tokens: (await trx.from('auth_access_tokens').where('tokenable_id', user.id)).length,
      audit: await trx
        .from('audit_events')
        .where({ action: 'mfa.recovery_completed', target_id: user.id })
        .first(),
    }))
    assert.equal(state.openFamilies, 0)
    assert.equal(state.tokens, 0)
    assert.isNotNull(state.audit)
    ;(await client.get('/v1/me').bearerToken(user.session!.accessToken)).assertStatus(401)
    ;(await client.post('/v1/auth/mfa/recovery/verify').json({ token: verifyToken })).assertStatus(
      410
    )
    await recordHistory(handle, 'mfa_recovery_completed')
  })

  test('an account without a confirmed factor gets no workflow and no mail', async ({
    client,
    assert,
    cleanup,
  }) => {
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const user = await createUser(unique('nomfa'))
    ;(await client.post('/v1/auth/mfa/recovery').json({ email: user.email })).assertStatus(202)
    // The endpoint answers before it does the work, so an immediate check proves nothing:
    // run the same work and wait for it to finish before looking for its effects.
    await requestRecovery(user.email)
    const rows = await asOwner((trx) => trx.from('mfa_recoveries').where('user_id', user.id))
    assert.lengthOf(rows, 0)
    const described = await (await handleFor(user.id)).describe().catch((error) => error)
    assert.instanceOf(described, WorkflowNotFoundError)
    assert.lengthOf(await messagesTo(user.email), 0)
  })

  test('"not you?" cancel leaves the account untouched', async ({ client, assert, cleanup }) => {
    cleanup(
      withWorkflowConfig({
        'mfaRecovery.verifyWithin': '1 minute',
        'mfaRecovery.coolingOff': '1 hour',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const user = await userWithTotp('cancel')
    await client.post('/v1/auth/mfa/recovery').json({ email: user.email })
    const verifyToken = await mailToken(
      user.email,
      'confirm your second-factor recovery',
      'Recovery token'
    )
    await client.post('/v1/auth/mfa/recovery/verify').json({ token: verifyToken })
    const cancelToken = await mailToken(user.email, 'was requested', 'Cancel token')
    ;(await client.post('/v1/auth/mfa/recovery/cancel').json({ token: cancelToken })).assertStatus(
      200
    )
    const handle = await handleFor(user.id)
    assert.equal(await handle.result(), 'cancelled')
    assert.deepEqual(await factorsOf(user.id), { totp: 1, codes: 1 })
    await recordHistory(handle, 'mfa_recovery_cancelled')
  })

  test('a school admin approves early; a learner of the school may not', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'mfaRecovery.verifyWithin': '1 minute',
        'mfaRecovery.coolingOff': '1 hour',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const school = await createSchool('mfa-approve')
    const otherSchool = await createSchool('mfa-elsewhere')
    const user = await userWithTotp('approve')
    await addMember(school.id, user.id, 'staff')
    const admin = await createUser(unique('admin'))
    await addMember(school.id, admin.id, 'school_admin')
    const outsider = await createUser(unique('outsider'))
    await addMember(otherSchool.id, outsider.id, 'school_admin')
    const learner = await createUser(unique('learner'))
    await addMember(school.id, learner.id, 'learner')
    const adminToken = (await login(admin.email)).accessToken
    const outsiderToken = (await login(outsider.email)).accessToken
    const learnerToken = (await login(learner.email)).accessToken

    await client.post('/v1/auth/mfa/recovery').json({ email: user.email })
    const id = await recoveryId(user.id)
    // Not verified yet: approval is refused.
    ;(
      await client
        .post(`/v1/schools/${school.id}/mfa-recoveries/${id}/approve`)
        .bearerToken(adminToken)
    ).assertStatus(409)
    const verifyToken = await mailToken(
      user.email,
      'confirm your second-factor recovery',
      'Recovery token'
    )
    await client.post('/v1/auth/mfa/recovery/verify').json({ token: verifyToken })
    await eventually(
      () => asOwner((trx) => trx.from('mfa_recoveries').where({ id, status: 'verified' }).first()),
      { what: 'verification' }
    )
    ;(
      await client
        .post(`/v1/schools/${otherSchool.id}/mfa-recoveries/${id}/approve`)
        .bearerToken(outsiderToken)
    ).assertStatus(404)
    // A learner of the same school is refused, and the request stays pending.
    ;(
      await client
        .post(`/v1/schools/${school.id}/mfa-recoveries/${id}/approve`)
        .bearerToken(learnerToken)
    ).assertStatus(403)
    const pending = await asOwner((trx) => trx.from('mfa_recoveries').where({ id }).first())
    assert.equal(pending.status, 'verified')
    assert.deepEqual(await factorsOf(user.id), { totp: 1, codes: 1 })
    const approved = await client
      .post(`/v1/schools/${school.id}/mfa-recoveries/${id}/approve`)
      .bearerToken(adminToken)
    approved.assertStatus(202)
    const handle = await handleFor(user.id)
    assert.equal(await handle.result(), 'completed')
    assert.deepEqual(await factorsOf(user.id), { totp: 0, codes: 0 })
    await recordHistory(handle, 'mfa_recovery_approved')
  })

  test('a school admin denies; the account is untouched', async ({ client, assert, cleanup }) => {
    cleanup(
      withWorkflowConfig({
        'mfaRecovery.verifyWithin': '1 minute',
        'mfaRecovery.coolingOff': '1 hour',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const school = await createSchool('mfa-deny')
    const user = await userWithTotp('deny')
    await addMember(school.id, user.id, 'learner')
    const admin = await createUser(unique('admin'))
    await addMember(school.id, admin.id, 'school_admin')
    const adminToken = (await login(admin.email)).accessToken
    await client.post('/v1/auth/mfa/recovery').json({ email: user.email })
    const id = await recoveryId(user.id)
    ;(
      await client
        .post(`/v1/schools/${school.id}/mfa-recoveries/${id}/deny`)
        .bearerToken(adminToken)
    ).assertStatus(202)
    const handle = await handleFor(user.id)
    assert.equal(await handle.result(), 'denied')
    assert.deepEqual(await factorsOf(user.id), { totp: 1, codes: 1 })
    await recordHistory(handle, 'mfa_recovery_denied')
  })

  test('an unverified request expires and changes nothing', async ({ client, assert, cleanup }) => {
    cleanup(
      withWorkflowConfig({
        'mfaRecovery.verifyWithin': '2 seconds',
        'mfaRecovery.coolingOff': '1 second',
      })
    )
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const user = await userWithTotp('expire')
    await client.post('/v1/auth/mfa/recovery').json({ email: user.email })
    const verifyToken = await mailToken(
      user.email,
      'confirm your second-factor recovery',
      'Recovery token'
    )
    const handle = await handleFor(user.id)
    assert.equal(await handle.result(), 'expired')
    assert.deepEqual(await factorsOf(user.id), { totp: 1, codes: 1 })
    ;(await client.post('/v1/auth/mfa/recovery/verify').json({ token: verifyToken })).assertStatus(
      410
    )
    assert.lengthOf(await messagesTo(user.email), 1)
  })
})
