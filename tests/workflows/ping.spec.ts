import { test } from '@japa/runner'
import { ping } from '#workflows/ping'
import app from '@adonisjs/core/services/app'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import type { TemporalConfig } from '#config/temporal'
import { startTestWorker } from '#tests/helpers/temporal'

test.group('ping workflow (real Temporal dev server)', (group) => {
  let env: TestWorkflowEnvironment

  group.setup(async () => {
    const config = app.config.get<TemporalConfig>('temporal')
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address: config.address,
      namespace: config.namespace,
    })
    return () => env.teardown()
  })

  test('runs an activity that reads the database through the app container', async ({
    assert,
    cleanup,
  }) => {
    const worker = await startTestWorker()
    cleanup(() => worker.stop())

    const result = await env.client.workflow.execute(ping, {
      taskQueue: worker.taskQueue,
      workflowId: `ping:${crypto.randomUUID()}`,
      args: ['hello'],
      workflowExecutionTimeout: '30 seconds',
    })
    assert.match(result, /^pong: hello \(database time \d{4}-\d{2}-\d{2}T/)
  })

  test('the API container exposes a connected Temporal client', async ({ assert }) => {
    const client = await app.container.make('temporal.client')
    const again = await app.container.make('temporal.client')
    assert.strictEqual(client, again)
    const { namespaceInfo } = await client.connection.workflowService.describeNamespace({
      namespace: client.options.namespace,
    })
    assert.equal(namespaceInfo?.name, app.config.get<TemporalConfig>('temporal').namespace)
  })
})
