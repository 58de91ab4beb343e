import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import type { TemporalConfig } from '#config/temporal'
import { SEARCH_ATTRIBUTES } from '../../commands/temporal_setup.js'

test.group('temporal:setup and namespace isolation', () => {
  test('tests run in their own namespace, never the one bin/dev uses', async ({ assert }) => {
    const { namespace } = app.config.get<TemporalConfig>('temporal')
    assert.equal(namespace, 'pathways-test')
    const client = await app.container.make('temporal.client')
    assert.equal(client.options.namespace, 'pathways-test')
  })

  test('creates a missing namespace with the search attributes; a second run changes nothing', async ({
    assert,
    cleanup,
  }) => {
    const client = await app.container.make('temporal.client')
    const namespace = `pathways-setup-${crypto.randomUUID().slice(0, 8)}`
    const previous = app.config.get<string>('temporal.namespace')
    app.config.set('temporal.namespace', namespace)
    cleanup(async () => {
      app.config.set('temporal.namespace', previous)
      await client.connection.operatorService.deleteNamespace({ namespace }).catch(() => {})
    })

    const first = await ace.exec('temporal:setup', [])
    assert.equal(first.exitCode, 0)
    const described = await client.connection.workflowService.describeNamespace({ namespace })
    assert.equal(described.namespaceInfo?.name, namespace)
    assert.equal(Number(described.config?.workflowExecutionRetentionTtl?.seconds), 7 * 24 * 3600)
    const listed = await client.connection.operatorService.listSearchAttributes({ namespace })
    for (const name of SEARCH_ATTRIBUTES) assert.property(listed.customAttributes, name)

    const second = await ace.exec('temporal:setup', [])
    assert.equal(second.exitCode, 0)
  }).timeout(60_000)
})
