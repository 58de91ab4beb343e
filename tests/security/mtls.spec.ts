import { test } from '@japa/runner'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:https'
import server from '@adonisjs/core/services/server'
import { startInternalServer } from '#services/platform/internal_tls'
import { TestCa, type Pem } from '#tests/helpers/certificates'

interface Result {
  status?: number
  body?: string
  error?: NodeJS.ErrnoException
}

function call(port: number, ca: string, path: string, client?: Pem, method = 'GET') {
  return new Promise<Result>((resolve) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        ca,
        servername: 'localhost',
        cert: client?.cert,
        key: client?.key,
        headers: { 'x-internal-service': 'spiffe://pathways/forged' },
      },
      (response) => {
        let body = ''
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode, body }))
      }
    )
    request.on('error', (error) => resolve({ error }))
    request.end()
  })
}

test.group('Internal mutual-TLS listener', (group) => {
  const internal = new TestCa('internal')
  const other = new TestCa('other')
  const serverCert = internal.issue({
    cn: 'pathways-internal',
    san: 'DNS:localhost,IP:127.0.0.1',
    usage: 'server',
  })
  let listener: Server
  let port: number

  group.setup(async () => {
    listener = await startInternalServer({
      host: '127.0.0.1',
      port: 0,
      caPath: internal.ca.certPath,
      certPath: serverCert.certPath,
      keyPath: serverCert.keyPath,
      handler: server.handle.bind(server),
    })
    port = (listener.address() as AddressInfo).port
    return () => new Promise<void>((resolve) => listener.close(() => resolve()))
  })

  test('a client certificate from the internal CA reaches its allowed route', async ({
    assert,
  }) => {
    const analytics = internal.issue({
      cn: 'analytics',
      san: 'URI:spiffe://pathways/analytics',
      usage: 'client',
    })
    const result = await call(port, internal.ca.cert, '/v1', analytics)
    assert.isUndefined(result.error)
    assert.equal(result.status, 200)
    assert.equal(JSON.parse(result.body!).name !== undefined, true)
  })

  test('the SAN identity is mapped to routes: other routes are 403', async ({ assert }) => {
    const analytics = internal.issue({
      cn: 'analytics',
      san: 'URI:spiffe://pathways/analytics',
      usage: 'client',
    })
    const result = await call(port, internal.ca.cert, '/docs', analytics)
    assert.equal(result.status, 403)
    assert.include(result.body!, 'spiffe://pathways/analytics may not call this route')
    const unknown = internal.issue({
      cn: 'stranger',
      san: 'URI:spiffe://pathways/stranger',
      usage: 'client',
    })
    const refused = await call(port, internal.ca.cert, '/v1', unknown)
    assert.equal(refused.status, 403)
  })

  test('no certificate, another CA or an expired certificate fail at the handshake', async ({
    assert,
  }) => {
    const none = await call(port, internal.ca.cert, '/v1')
    const foreign = await call(
      port,
      internal.ca.cert,
      '/v1',
      other.issue({ cn: 'analytics', san: 'URI:spiffe://pathways/analytics', usage: 'client' })
    )
    const expired = await call(
      port,
      internal.ca.cert,
      '/v1',
      internal.issue({
        cn: 'analytics',
        san: 'URI:spiffe://pathways/analytics',
        usage: 'client',
        expired: true,
      })
    )
    for (const [name, result] of Object.entries({ none, foreign, expired })) {
      assert.isUndefined(result.status, `${name}: no HTTP response expected`)
      assert.isDefined(result.error, `${name}: the TLS handshake must fail`)
      assert.match(
        `${result.error!.code} ${result.error!.message}`,
        /ECONNRESET|certificate|alert|socket hang up|EPIPE/i,
        name
      )
    }
  })
})
