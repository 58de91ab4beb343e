import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { freshState } from '#tests/helpers/database'
import { asOwner, createSchool, createUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { api, passwordLogin } from '#tests/helpers/identity_helpers'
import { newOpaqueToken } from '#services/identity/token_hash'

/*
| Guessable passwords that the old rule (12+ characters, a 168-entry list, not the e-mail's local
| part) let through: keyboard walks, a common phrase plus digits, a season plus a year, l33t.
*/
const GUESSABLE = [
  'iloveyou12345',
  'qwertyuiopasdf',
  '1qaz2wsx3edc4rfv',
  'Summer2024!!',
  'P@ssw0rd2024!!',
]

/* Built from the user's own name: strong for anyone else, weak for them. */
const ZEPHYRINE = { email: 'zephyrine.quaxley@north.test', fullName: 'Zephyrine Quaxley' }
const FROM_OWN_NAME = 'QuaxleyZephyrine99!'

function assertRefused(assert: any, response: { status: number; body: any }, what: string) {
  assert.equal(response.status, 422, `${what} is refused`)
  assert.equal(response.body.status, 422)
  assert.match(response.body.type, /validation/)
  const error = response.body.errors?.find((e: { field: string }) => e.field === 'password')
  assert.exists(error, `${what}: a field error on password`)
  assert.equal(error.rule, 'password_policy')
  assert.isString(error.message)
}

async function resetToken(userId: string) {
  const token = newOpaqueToken('pwp_')
  await asOwner((trx) =>
    trx.table('user_tokens').insert({
      user_id: userId,
      purpose: 'reset_password',
      token_hash: token.hash,
      expires_at: DateTime.now().plus({ minutes: 30 }).toSQL(),
    })
  )
  return token.value
}

async function invitation(email: string) {
  const school = await createSchool(`pw-${crypto.randomUUID().slice(0, 8)}`)
  const token = newOpaqueToken('inv_')
  await asOwner((trx) =>
    trx.table('invitations').insert({
      school_id: school.id,
      email,
      role: 'learner',
      token_hash: token.hash,
      workflow_id: `invitation:${school.id}:${email}`,
      expires_at: DateTime.now().plus({ days: 7 }).toSQL(),
    })
  )
  return token.value
}

test.group('Passwords (NIST 800-63B): strength estimation with user context', (group) => {
  freshState(group)

  test('registration refuses guessable passwords with a 422 field error', async ({ assert }) => {
    const email = 'guessable@example.test'
    for (const password of GUESSABLE) {
      await redis.flushdb() // the per-IP auth limit is not what this test is about
      const response = await api('POST', '/v1/auth/register', { body: { email, password } })
      assertRefused(assert, response, password)
    }
    assert.isNull(await db.from('users').where('email', email).first(), 'nothing was created')
  })

  test("registration refuses a password built from the user's own name and e-mail", async ({
    assert,
  }) => {
    for (const password of [FROM_OWN_NAME, 'Zephyrine_Quaxley!', 'quaxley.north.test']) {
      const response = await api('POST', '/v1/auth/register', {
        body: { ...ZEPHYRINE, password },
      })
      assertRefused(assert, response, password)
    }
    assert.isNull(await db.from('users').where('email', ZEPHYRINE.email).first())

    // The same password is fine for someone else: the refusal came from the user's context.
    const other = await api('POST', '/v1/auth/register', {
      body: { email: 'someone.else@example.test', password: FROM_OWN_NAME },
    })
    assert.equal(other.status, 202)
    const stored = await db.from('users').where('email', 'someone.else@example.test').first()
    assert.match(stored.password, /^\$argon2id\$/, 'still argon2id')
  })

  test('a password reset applies the same policy, with the account as context', async ({
    assert,
  }) => {
    const user = await createUser(ZEPHYRINE.email)
    await asOwner((trx) =>
      trx.from('users').where('id', user.id).update({ full_name: ZEPHYRINE.fullName })
    )
    const token = await resetToken(user.id)
    for (const password of [GUESSABLE[0], GUESSABLE[3], FROM_OWN_NAME]) {
      const response = await api('POST', '/v1/auth/password/reset', { body: { token, password } })
      assertRefused(assert, response, password)
    }
    // Nothing changed, and the token was not burned by the refusals.
    assert.property((await passwordLogin(user.email)).body, 'accessToken')
    const done = await api('POST', '/v1/auth/password/reset', {
      body: { token, password: 'lantern orchard velvet 93' },
    })
    assert.equal(done.status, 200)
  })

  test('accepting an invitation applies the policy to the new account, with its name', async ({
    assert,
  }) => {
    const token = await invitation(ZEPHYRINE.email)
    const guessable = await api('POST', `/v1/invitations/${token}/accept`, {
      body: { password: GUESSABLE[1] },
    })
    assertRefused(assert, guessable, GUESSABLE[1])
    const fromName = await api('POST', `/v1/invitations/${token}/accept`, {
      body: { password: FROM_OWN_NAME, fullName: ZEPHYRINE.fullName },
    })
    assertRefused(assert, fromName, FROM_OWN_NAME)
    assert.isNull(await db.from('users').where('email', ZEPHYRINE.email).first())
  })

  test('long passphrases pass; the test password is one of them', async ({ assert }) => {
    for (const [index, password] of [
      TEST_PASSWORD,
      'lantern orchard velvet 93',
      'Tr0ub4dor&3 horse staple',
    ].entries()) {
      const response = await api('POST', '/v1/auth/register', {
        body: { email: `strong${index}@example.test`, password },
      })
      assert.equal(response.status, 202, password)
    }
  })
})
