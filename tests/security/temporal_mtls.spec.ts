import { test } from '@japa/runner'
import { ping } from '#workflows/ping'
import app from '@adonisjs/core/services/app'
import { Client, Connection } from '@temporalio/client'
import { NativeConnection, Worker } from '@temporalio/worker'
import type { TemporalConfig } from '#config/temporal'
import { temporalTls } from '#providers/temporal_provider'
import { createActivities } from '#workflows/activities/index'
import { workflowsEntry } from '#workflows/entry'
import { TestCa, type Pem } from '#tests/helpers/certificates'
import { startTlsProxy, type TlsProxy } from '#tests/helpers/nginx'

/*
| The dev server has no TLS: nginx (stream module, `ssl_verify_client on`) terminates
| mutual TLS in front of it. The app's own `temporalTls()` (TEMPORAL_TLS_* files) builds
| the client and worker TLS settings.
*/
test.group('Temporal over mutual TLS (nginx stream proxy)', (group) => {
  const platform = new TestCa('temporal')
  const other = new TestCa('temporal-other')
  const proxyCert = platform.issue({
    cn: 'temporal.internal',
    san: 'DNS:temporal.internal,IP:127.0.0.1',
    usage: 'server',
  })
  const clientCert = platform.issue({
    cn: 'pathways-worker',
    san: 'URI:spiffe://pathways/worker',
    usage: 'client',
  })
  let proxy: TlsProxy
  let base: TemporalConfig

  group.setup(async () => {
    base = app.config.get<TemporalConfig>('temporal')
    proxy = await startTlsProxy({
      upstream: base.address,
      certPath: proxyCert.certPath,
      keyPath: proxyCert.keyPath,
      clientCaPath: platform.ca.certPath,
    })
    return () => proxy.stop()
  })

  function configWith(pair?: Pem): TemporalConfig {
    return {
      ...base,
      address: `127.0.0.1:${proxy.port}`,
      tls: {
        certPath: pair?.certPath,
        keyPath: pair?.keyPath,
        caPath: platform.ca.certPath,
        serverName: 'temporal.internal',
      },
    }
  }

  async function tlsOrServerAuthOnly(config: TemporalConfig) {
    // without a client pair temporalTls() returns undefined; still verify the server
    return (
      (await temporalTls(config)) ?? {
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: Buffer.from(platform.ca.cert),
      }
    )
  }

  test('a client and a worker with an internal certificate run a workflow through the proxy', async ({
    assert,
    cleanup,
  }) => {
    const config = configWith(clientCert)
    const tls = await temporalTls(config)
    assert.isDefined(tls)
    const connection = await Connection.connect({
      address: config.address,
      tls,
      connectTimeout: '5s',
    })
    cleanup(() => connection.close())
    const native = await NativeConnection.connect({ address: config.address, tls })
    cleanup(() => native.close())

    const taskQueue = `mtls-${crypto.randomUUID()}`
    const worker = await Worker.create({
      connection: native,
      namespace: config.namespace,
      taskQueue,
      workflowsPath: workflowsEntry(app),
      activities: createActivities(app),
    })
    const client = new Client({ connection, namespace: config.namespace })
    const result = await worker.runUntil(
      client.workflow.execute(ping, {
        taskQueue,
        workflowId: `ping-mtls:${crypto.randomUUID()}`,
        args: ['over mtls'],
        workflowExecutionTimeout: '30 seconds',
      })
    )
    assert.match(result, /^pong: over mtls/)
  })

  test('without a client certificate, client and worker are refused', async ({ assert }) => {
    const config = configWith()
    const tls = await tlsOrServerAuthOnly(config)
    await assert.rejects(() =>
      Connection.connect({ address: config.address, tls, connectTimeout: '3s' })
    )
    await assert.rejects(() => NativeConnection.connect({ address: config.address, tls }))
  })

  test('a certificate from another CA is refused', async ({ assert }) => {
    const foreign = other.issue({
      cn: 'pathways-worker',
      san: 'URI:spiffe://pathways/worker',
      usage: 'client',
    })
    const config = configWith(foreign)
    const tls = await temporalTls(config)
    await assert.rejects(() =>
      Connection.connect({ address: config.address, tls, connectTimeout: '3s' })
    )
    await assert.rejects(() => NativeConnection.connect({ address: config.address, tls }))
  })
})
