import { test } from '@japa/runner'
import { mfaRecovery, type MfaRecoveryInput } from '#workflows/mfa_recovery'
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { http } from '#config/app'
import env from '#start/env'
import { recoveryWorkflowId } from '#services/identity/mfa_recovery_service'
import { newOpaqueToken } from '#services/identity/token_hash'
import { resetDatabase, freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { api, auditActions, enableTotp, passwordLogin } from '#tests/helpers/identity_helpers'

/** Runs `work` as the app role (DATABASE_URL) with the given RLS context, and commits. */
async function asApp<T>(
  context: { schoolId?: string; userId?: string; platform?: boolean },
  work: (trx: TransactionClientContract) => Promise<T>
): Promise<{ result?: T; error?: any }> {
  try {
    const result = await db.transaction(async (trx) => {
      await trx.rawQuery(
        `select set_config('app.school_id', ?, true), set_config('app.user_id', ?, true),
                set_config('app.platform_scope', ?, true)`,
        [context.schoolId ?? '', context.userId ?? '', context.platform ? 'on' : '']
      )
      return work(trx)
    })
    return { result }
  } catch (error) {
    return { error }
  }
}

/** `node ace <args>` in the app root with a modified environment: exit code and output. */
function ace(args: string[], envChanges: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env }
  for (const [name, value] of Object.entries(envChanges)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      ['ace', ...args],
      { cwd: app.makePath(), env: childEnv, timeout: 45_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: `${stdout}\n${stderr}` })
      }
    )
  })
}

async function schoolClient(slug: string) {
  const school = await createSchool(slug)
  const admin = await createUser(`admin@${slug}.test`)
  await addMember(school.id, admin.id, 'school_admin')
  const { accessToken } = await login(admin.email)
  const created = await api('POST', `/v1/schools/${school.id}/oauth-clients`, {
    token: accessToken,
    body: { name: 'SIS', scopes: ['roster.write'] },
  })
  if (created.status !== 201) throw new Error(`client creation answered ${created.status}`)
  return {
    school,
    clientId: created.body.client.clientId as string,
    secret: created.body.clientSecret as string,
  }
}

test.group('Review fixes: machine clients', (group) => {
  freshState(group)

  test('a suspended school gets no machine-client token, and its live tokens stop working', async ({
    assert,
  }) => {
    const { school, clientId, secret } = await schoolClient('suspended-sis')
    const issued = await api('POST', '/v1/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
    })
    assert.equal(issued.status, 200)
    const sync = () =>
      api('POST', `/v1/schools/${school.id}/roster/sync`, {
        token: issued.body.access_token,
        body: { learners: [{ email: 'late@suspended-sis.test' }] },
      })

    await asOwner((trx) =>
      trx.from('schools').where('id', school.id).update({ status: 'suspended' })
    )

    const refused = await sync()
    assert.equal(refused.status, 401)
    const again = await api('POST', '/v1/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
    })
    assert.equal(again.status, 401)
    assert.equal(again.body.type, 'https://pathways.dev/problems/invalid-client')
    const created = await asOwner((trx) =>
      trx.from('users').where('email', 'late@suspended-sis.test').first()
    )
    assert.notExists(created, 'nothing was written for the suspended school')
  })

  test('a malformed Basic header answers 401 problem+json, never 500', async ({ assert }) => {
    const { clientId } = await schoolClient('basic-sis')
    for (const credentials of [
      Buffer.from(`${clientId}:%E0%A4%A`).toString('base64'), // broken percent-encoding
      Buffer.from('%:%').toString('base64'),
      Buffer.from('no-colon-at-all').toString('base64'),
      '!!!not base64!!!',
      '',
    ]) {
      const response = await fetch(
        `http://${process.env.HOST}:${process.env.PORT}/v1/oauth/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'authorization': `Basic ${credentials}` },
          body: JSON.stringify({ grant_type: 'client_credentials' }),
        }
      )
      assert.equal(response.status, 401, `Basic ${credentials}`)
      assert.match(String(response.headers.get('content-type')), /^application\/problem\+json/)
    }
  })
})

test.group('Review fixes: database privileges', (group) => {
  group.each.setup(() => resetDatabase())

  test('a user cannot UPDATE or DELETE their own membership rows in another school', async ({
    assert,
  }) => {
    const schoolA = await createSchool('rls-a')
    const schoolB = await createSchool('rls-b')
    const user = await createUser('two-schools@example.test')
    await addMember(schoolA.id, user.id, 'learner')
    const inB = await addMember(schoolB.id, user.id, 'learner')
    const rowInB = () => asOwner((trx) => trx.from('memberships').where('id', inB).first())
    const before = await rowInB()

    // In school A's context (what every /v1/schools/A request runs with).
    const deleted = await asApp({ schoolId: schoolA.id, userId: user.id }, (trx) =>
      trx.from('memberships').where('id', inB).delete()
    )
    assert.notExists(deleted.error)
    assert.equal(Number(deleted.result), 0, 'DELETE reaches no row of school B')

    const promoted = await asApp({ schoolId: schoolA.id, userId: user.id }, (trx) =>
      trx.from('memberships').where('id', inB).update({ role: 'school_admin', status: 'active' })
    )
    assert.isTrue(
      Boolean(promoted.error) || Number(promoted.result) === 0,
      'UPDATE reaches no row of school B'
    )

    // With only the user's context (as on /v1/me).
    const left = await asApp({ userId: user.id }, (trx) =>
      trx.from('memberships').where('user_id', user.id).delete()
    )
    assert.notExists(left.error)
    assert.equal(Number(left.result), 0, 'DELETE without school context reaches nothing')

    assert.deepEqual(await rowInB(), before, "school B's row is untouched")

    // The user still reads their own memberships across schools (to list their schools).
    const mine = await asApp({ userId: user.id }, (trx) =>
      trx.from('memberships').where('user_id', user.id).select('school_id')
    )
    assert.sameMembers(
      (mine.result ?? []).map((row) => row.school_id),
      [schoolA.id, schoolB.id]
    )
  })

  test('the app role has no UPDATE or DELETE privilege on audit_events', async ({ assert }) => {
    const school = await createSchool('audit-grants')
    await asOwner((trx) =>
      trx.table('audit_events').insert({ school_id: school.id, action: 'test.event' })
    )
    const privileges = await db.rawQuery(
      `select has_table_privilege(current_user, 'audit_events', 'UPDATE') as update,
              has_table_privilege(current_user, 'audit_events', 'DELETE') as delete,
              has_table_privilege(current_user, 'audit_events', 'TRUNCATE') as truncate,
              has_table_privilege(current_user, 'audit_events', 'INSERT') as insert,
              has_table_privilege(current_user, 'audit_events', 'SELECT') as select`
    )
    assert.deepEqual(privileges.rows[0], {
      update: false,
      delete: false,
      truncate: false,
      insert: true,
      select: true,
    })

    for (const attempt of [
      (trx: TransactionClientContract) =>
        trx.from('audit_events').update({ action: 'test.rewritten' }),
      (trx: TransactionClientContract) => trx.from('audit_events').delete(),
    ]) {
      const { error } = await asApp({ platform: true }, attempt)
      assert.match(String(error?.message), /permission denied for table audit_events/)
    }
    const rows = await asOwner((trx) => trx.from('audit_events').where('school_id', school.id))
    assert.deepEqual(
      rows.map((row) => row.action),
      ['test.event']
    )
  })

  test('migrations refuse to run without the owner URL or on the app connection', async ({
    assert,
  }) => {
    // --dry-run and --no-schema-generate: even a run that is wrongly allowed changes nothing.
    const args = ['migration:run', '--force', '--dry-run', '--no-schema-generate']
    const withoutOwner = await ace([...args, '--connection=owner'], {
      DATABASE_OWNER_URL: undefined,
    })
    assert.notEqual(withoutOwner.code, 0)
    assert.include(withoutOwner.output, 'DATABASE_OWNER_URL')

    const onApp = await ace([...args, '--connection=app'], {})
    assert.notEqual(onApp.code, 0)
    assert.include(onApp.output, '--connection=owner')

    const ownerIsApp = await ace([...args, '--connection=owner'], {
      DATABASE_OWNER_URL: env.get('DATABASE_URL'),
    })
    assert.notEqual(ownerIsApp.code, 0)
    assert.include(ownerIsApp.output, 'DATABASE_OWNER_URL')
  }).timeout(150_000)
})

test.group('Review fixes: MFA recovery and recovery codes', (group) => {
  freshState(group)

  test('skipping the cooling-off needs school.manage in a school of that user, and is audited', async ({
    assert,
  }) => {
    const school = await createSchool('cooling-off')
    const user = await createUser('lost-phone@cooling-off.test')
    await addMember(school.id, user.id, 'learner')
    const staff = await createUser('staff@cooling-off.test')
    await addMember(school.id, staff.id, 'staff') // members.manage, not school.manage
    const admin = await createUser('admin@cooling-off.test')
    await addMember(school.id, admin.id, 'school_admin')

    // A verified recovery whose workflow waits on a task queue no worker polls: signals are
    // recorded, nothing runs.
    const workflowId = recoveryWorkflowId(user.id)
    const [recovery] = await asOwner((trx) =>
      trx
        .table('mfa_recoveries')
        .insert({
          user_id: user.id,
          workflow_id: workflowId,
          status: 'verified',
          verify_token_hash: newOpaqueToken('mfr_').hash,
          cancel_token_hash: newOpaqueToken('mfc_').hash,
          verified_at: new Date(),
        })
        .returning('id')
    )
    const temporal = await app.container.make('temporal.client')
    const handle = await temporal.workflow.start(mfaRecovery, {
      taskQueue: `unpolled-${crypto.randomUUID()}`,
      workflowId,
      // never polled: the input is not read
      args: [{} as MfaRecoveryInput],
    })
    try {
      const path = `/v1/schools/${school.id}/mfa-recoveries/${recovery.id}/approve`
      const byStaff = await api('POST', path, { token: (await login(staff.email)).accessToken })
      assert.equal(byStaff.status, 403)
      const denied = (await auditActions(staff.id)).find((event) => event.outcome === 'denied')
      assert.exists(denied, 'the refused attempt is audited')

      const byAdmin = await api('POST', path, { token: (await login(admin.email)).accessToken })
      assert.equal(byAdmin.status, 202)
      const approved = await asOwner((trx) =>
        trx.from('audit_events').where('action', 'mfa.recovery_approved').first()
      )
      assert.equal(approved.actor_user_id, admin.id)
      assert.equal(approved.school_id, school.id)
      assert.equal(approved.target_id, recovery.id)
      assert.equal(approved.changes.userId, user.id, 'the audit names whose factor it skips to')
      assert.equal(approved.changes.skippedCoolingOff, true)
    } finally {
      await handle.terminate('test done')
    }
  })

  test('recovery codes carry at least 80 bits and are hashed with a per-code salt', async ({
    assert,
  }) => {
    const user = await createUser('codes@example.test')
    const { recoveryCodes } = await enableTotp(user)
    const alphabet = new Set('ABCDEFGHJKLMNPQRSTUVWXYZ23456789')
    for (const code of recoveryCodes) {
      const symbols = code.replace(/-/g, '')
      assert.isTrue(
        [...symbols].every((symbol) => alphabet.has(symbol)),
        code
      )
      assert.isAtLeast(symbols.length * Math.log2(alphabet.size), 80, `${code} has >= 80 bits`)
    }

    const rows = await asOwner((trx) =>
      trx.from('mfa_recovery_codes').where('user_id', user.id).select('code_hash', 'code_salt')
    )
    assert.lengthOf(rows, 10)
    const salts = new Set(rows.map((row) => Buffer.from(row.code_salt).toString('hex')))
    assert.equal(salts.size, 10, 'one salt per code')
    for (const row of rows) assert.isAtLeast(row.code_salt.length, 16)
    // Not the old, unsalted keyed hash of the code.
    const unsalted = recoveryCodes.map((code) =>
      createHmac('sha256', env.get('APP_KEY').release())
        .update(`mfa-recovery:${code.replace(/-/g, '')}`)
        .digest('hex')
    )
    for (const row of rows) assert.notInclude(unsalted, row.code_hash.toString('hex'))

    // A code still finishes a sign-in, once.
    const challenge = (await passwordLogin(user.email)).body.challengeToken
    const passed = await api('POST', '/v1/auth/mfa/challenge', {
      body: { challengeToken: challenge, recoveryCode: recoveryCodes[3] },
    })
    assert.equal(passed.status, 200)
    const second = (await passwordLogin(user.email)).body.challengeToken
    const reused = await api('POST', '/v1/auth/mfa/challenge', {
      body: { challengeToken: second, recoveryCode: recoveryCodes[3] },
    })
    assert.equal(reused.status, 401)
  })
})

test.group('Review fixes: configuration defaults', () => {
  test('only loopback proxies are trusted by default', ({ assert }) => {
    assert.isUndefined(process.env.TRUSTED_PROXIES, 'the test runs with the default')
    assert.isTrue(http.trustProxy('127.0.0.1', 0))
    assert.isTrue(http.trustProxy('::1', 0))
    for (const address of ['10.0.0.7', '172.16.3.4', '192.168.1.10', 'fd12:3456::1', '8.8.8.8']) {
      assert.isFalse(http.trustProxy(address, 0), `${address} is not trusted by default`)
    }
  })
})
