import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { freshState } from '#tests/helpers/database'
import { tokenFromMail, messagesTo } from '#tests/helpers/mailpit'
import { asOwner, createUser, login, TEST_PASSWORD } from '#tests/helpers/fixtures'

const unique = () => `u${crypto.randomUUID().slice(0, 8)}@example.test`

test.group('Identity: registration and sign-in', (group) => {
  freshState(group)

  test('register, verify by the mailed token, sign in, read /v1/me', async ({ client, assert }) => {
    const email = unique()
    const registered = await client
      .post('/v1/auth/register')
      .json({ email, password: TEST_PASSWORD, fullName: 'Ada' })
    registered.assertStatus(202)

    const stored = await db.from('users').where('email', email).first()
    assert.match(stored.password, /^\$argon2id\$/)

    const early = await client.post('/v1/auth/login').json({ email, password: TEST_PASSWORD })
    early.assertStatus(403)

    const token = await tokenFromMail(email, 'confirm your e-mail')
    const tokenRow = await db.from('user_tokens').where('user_id', stored.id).first()
    assert.notInclude(tokenRow.token_hash.toString('utf8'), token, 'tokens are stored hashed')
    ;(await client.post('/v1/auth/verify-email').json({ token })).assertStatus(200)
    ;(await client.post('/v1/auth/verify-email').json({ token })).assertStatus(400)

    const signedIn = await client.post('/v1/auth/login').json({ email, password: TEST_PASSWORD })
    signedIn.assertStatus(200)
    assert.equal(signedIn.body().expiresIn, 900)
    const me = await client.get('/v1/me').bearerToken(signedIn.body().accessToken)
    me.assertStatus(200)
    assert.equal(me.body().email, email)
    assert.deepEqual(me.body().schools, [])
  })

  test('a verified address joins schools that allow its domain, as learner', async ({
    client,
    assert,
  }) => {
    await asOwner((trx) =>
      trx
        .table('schools')
        .insert({ slug: 'north-high', name: 'North', allowed_email_domains: ['north.test'] })
    )
    const email = `kid${Date.now()}@north.test`
    await client.post('/v1/auth/register').json({ email, password: TEST_PASSWORD })
    const token = await tokenFromMail(email, 'confirm your e-mail')
    await client.post('/v1/auth/verify-email').json({ token })
    const { accessToken } = await login(email)
    const me = await client.get('/v1/me').bearerToken(accessToken)
    assert.lengthOf(me.body().schools, 1)
    assert.equal(me.body().schools[0].role, 'learner')
  })

  test('weak passwords are refused with field errors and nothing is created', async ({
    client,
    assert,
  }) => {
    const email = unique()
    for (const password of ['short', 'password1234', `${email.split('@')[0]}-and-more`]) {
      const response = await client.post('/v1/auth/register').json({ email, password })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'password')
    }
    assert.isNull(await db.from('users').where('email', email).first())
  })

  test('registration and login do not reveal whether an account exists', async ({
    client,
    assert,
  }) => {
    const existing = await createUser(unique())
    const taken = await client
      .post('/v1/auth/register')
      .json({ email: existing.email, password: TEST_PASSWORD })
    const fresh = await client
      .post('/v1/auth/register')
      .json({ email: unique(), password: TEST_PASSWORD })
    assert.equal(taken.status(), fresh.status())
    assert.deepEqual(taken.body(), fresh.body())
    assert.lengthOf(await messagesTo(existing.email), 1, 'the owner is told instead')

    const wrong = await client
      .post('/v1/auth/login')
      .json({ email: existing.email, password: 'not the password!!' })
    const unknown = await client
      .post('/v1/auth/login')
      .json({ email: unique(), password: 'not the password!!' })
    wrong.assertStatus(401)
    unknown.assertStatus(401)
    assert.deepEqual({ ...wrong.body(), requestId: null }, { ...unknown.body(), requestId: null })
  })

  test('five failures lock the account with Retry-After; success is refused meanwhile', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    for (let attempt = 0; attempt < 5; attempt++) {
      ;(
        await client
          .post('/v1/auth/login')
          .json({ email: user.email, password: 'wrong password here' })
      ).assertStatus(401)
    }
    const locked = await client
      .post('/v1/auth/login')
      .json({ email: user.email, password: TEST_PASSWORD })
    locked.assertStatus(429)
    assert.match(String(locked.header('content-type')), /problem\+json/)
    assert.isAbove(Number(locked.header('retry-after')), 0)

    await redis.flushdb() // the lock expires (here: is released) ...
    ;(
      await client.post('/v1/auth/login').json({ email: user.email, password: TEST_PASSWORD })
    ).assertStatus(200)
  })

  test('malformed JSON is a 400 problem+json', async ({ assert }) => {
    const response = await fetch(`http://${process.env.HOST}:${process.env.PORT}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "a@b.c", ',
    })
    assert.equal(response.status, 400)
    assert.match(String(response.headers.get('content-type')), /^application\/problem\+json/)
    const body = (await response.json()) as Record<string, unknown>
    assert.equal(body.status, 400)
    assert.notProperty(body, 'stack')
  })
})

test.group('Identity: sessions and refresh rotation', (group) => {
  freshState(group)

  test('refresh rotates; reusing a rotated token revokes the whole family', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const first = await login(user.email)

    const rotated = await client.post('/v1/auth/refresh').json({ refreshToken: first.refreshToken })
    rotated.assertStatus(200)
    assert.notEqual(rotated.body().refreshToken, first.refreshToken)
    ;(await client.get('/v1/me').bearerToken(rotated.body().accessToken)).assertStatus(200)

    const replay = await client.post('/v1/auth/refresh').json({ refreshToken: first.refreshToken })
    replay.assertStatus(401)
    // The attacker's replay also kills the legitimate holder's newer tokens.
    ;(
      await client.post('/v1/auth/refresh').json({ refreshToken: rotated.body().refreshToken })
    ).assertStatus(401)
    ;(await client.get('/v1/me').bearerToken(rotated.body().accessToken)).assertStatus(401)
    ;(await client.get('/v1/me').bearerToken(first.accessToken)).assertStatus(401)

    const event = await asOwner((trx) =>
      trx.from('audit_events').where('action', 'auth.refresh_token_reused').first()
    )
    assert.equal(event.actor_user_id, user.id)
  })

  test('logout revokes this session on the next request; logout-all every session', async ({
    client,
  }) => {
    const user = await createUser(unique())
    const a = await login(user.email)
    const b = await login(user.email)
    ;(await client.post('/v1/auth/logout').bearerToken(a.accessToken)).assertStatus(204)
    ;(await client.get('/v1/me').bearerToken(a.accessToken)).assertStatus(401)
    ;(await client.post('/v1/auth/refresh').json({ refreshToken: a.refreshToken })).assertStatus(
      401
    )
    ;(await client.get('/v1/me').bearerToken(b.accessToken)).assertStatus(200)

    ;(await client.post('/v1/auth/logout-all').bearerToken(b.accessToken)).assertStatus(204)
    ;(await client.get('/v1/me').bearerToken(b.accessToken)).assertStatus(401)
    ;(await client.post('/v1/auth/refresh').json({ refreshToken: b.refreshToken })).assertStatus(
      401
    )
  })

  test('a missing or garbage bearer token is a 401 problem', async ({ client, assert }) => {
    const none = await client.get('/v1/me')
    none.assertStatus(401)
    assert.equal(none.header('www-authenticate'), 'Bearer')
    ;(await client.get('/v1/me').bearerToken('pwa_garbage')).assertStatus(401)
  })
})
