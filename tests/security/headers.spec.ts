import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import { createUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { baseUrl } from '#tests/helpers/identity_helpers'

/** Plain fetch: the headers exactly as a browser or a shared cache would see them. */
async function raw(method: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl()}${path}`, { method, ...init })
  const body = await response.text()
  return { status: response.status, headers: response.headers, body }
}

function json(body: unknown, headers: Record<string, string> = {}) {
  return {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}

/** What every API answer must carry so browsers never sniff, frame, leak or cache it. */
function assertApiHeaders(assert: any, headers: Headers, what: string) {
  assert.equal(headers.get('cache-control'), 'no-store', `${what}: Cache-Control`)
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`)
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`)
  assert.include(
    String(headers.get('content-security-policy')),
    "frame-ancestors 'none'",
    `${what}: frame-ancestors`
  )
}

test.group('Security headers', (group) => {
  freshState(group)

  test('a sign-in answer (tokens) is never cached, sniffed or framed', async ({ assert }) => {
    const user = await createUser('headers@example.test')
    const signedIn = await raw(
      'POST',
      '/v1/auth/login',
      json({ email: user.email, password: TEST_PASSWORD })
    )
    assert.equal(signedIn.status, 200)
    assert.property(JSON.parse(signedIn.body), 'accessToken')
    assertApiHeaders(assert, signedIn.headers, 'login 200')

    const refused = await raw(
      'POST',
      '/v1/auth/login',
      json({ email: user.email, password: 'not the password at all' })
    )
    assert.equal(refused.status, 401)
    assertApiHeaders(assert, refused.headers, 'login 401')

    const { accessToken, refreshToken } = JSON.parse(signedIn.body)
    const refreshed = await raw('POST', '/v1/auth/refresh', json({ refreshToken }))
    assert.equal(refreshed.status, 200)
    assertApiHeaders(assert, refreshed.headers, 'refresh')

    const me = await raw('GET', '/v1/me', { headers: { authorization: `Bearer ${accessToken}` } })
    assert.equal(me.status, 200)
    assertApiHeaders(assert, me.headers, 'GET /v1/me (personal data)')
  })

  test('errors and unknown routes carry the same headers', async ({ assert }) => {
    const unknown = await raw('GET', '/v1/no-such-route')
    assert.equal(unknown.status, 404)
    assertApiHeaders(assert, unknown.headers, '404')

    const malformed = await raw('POST', '/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    })
    assert.equal(malformed.status, 400)
    assertApiHeaders(assert, malformed.headers, '400')
  })

  test('HSTS only when the request came over TLS (through a trusted proxy)', async ({ assert }) => {
    const plain = await raw('GET', '/v1')
    assert.isNull(plain.headers.get('strict-transport-security'), 'never over plain HTTP')

    // The test client connects from loopback, a trusted proxy: its X-Forwarded-Proto is believed.
    const viaTls = await raw('GET', '/v1', { headers: { 'x-forwarded-proto': 'https' } })
    assert.match(
      String(viaTls.headers.get('strict-transport-security')),
      /^max-age=(\d{8,}); includeSubDomains$/
    )
  })

  test('/docs has a CSP that allows only its own assets, served locally', async ({ assert }) => {
    const page = await raw('GET', '/docs')
    assert.equal(page.status, 200)
    const csp = String(page.headers.get('content-security-policy'))
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...values]) => [name, values])
    )
    assert.deepEqual(directives['default-src'], ["'none'"])
    assert.deepEqual(directives['script-src'], ["'self'"])
    assert.deepEqual(directives['style-src'], ["'self'"])
    assert.deepEqual(directives['frame-ancestors'], ["'none'"])
    for (const values of Object.values(directives) as string[][]) {
      for (const value of values) {
        assert.notMatch(value, /^(https?:|\*|'unsafe-)/, `CSP source ${value} is not ours`)
      }
    }
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff')

    // Every script and stylesheet the page loads is one of ours, and is served.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])
    assert.isAbove(assets.length, 2)
    assert.notMatch(page.body, /<script>|<style>|\son\w+=/, 'no inline script or style')
    for (const asset of assets) {
      assert.match(asset, /^\/docs\/assets\/[\w.-]+$/)
      const served = await raw('GET', asset)
      assert.equal(served.status, 200, asset)
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff')
      assert.match(String(served.headers.get('content-type')), /^(text\/css|text\/javascript)/)
    }
    // Swagger UI would otherwise fetch a validator badge from an outside host.
    const script = await raw('GET', '/docs/assets/docs.js')
    assert.include(script.body, 'validatorUrl: null')
  })
})
