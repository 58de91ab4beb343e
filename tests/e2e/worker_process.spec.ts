import { test } from '@japa/runner'
import { ping } from '#workflows/ping'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import app from '@adonisjs/core/services/app'

/** Waits until the child prints a line matching `pattern` (no sleeps: we read its output). */
async function waitForLine(child: ReturnType<typeof spawn>, pattern: RegExp) {
  const lines = createInterface({ input: child.stdout! })
  for await (const line of lines) {
    if (pattern.test(line)) return line
  }
  throw new Error(`process ended before printing ${pattern}`)
}

test.group('node ace temporal:worker (separate process)', () => {
  test('polls the task queue, completes a workflow, drains on SIGTERM', async ({
    assert,
    cleanup,
  }) => {
    const taskQueue = `e2e-${crypto.randomUUID()}`
    const child = spawn(process.execPath, ['ace', 'temporal:worker'], {
      cwd: app.makePath(),
      env: { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    cleanup(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    await waitForLine(child, /temporal worker polling/)

    const client = await app.container.make('temporal.client')
    const result = await client.workflow.execute(ping, {
      taskQueue,
      workflowId: `ping:${crypto.randomUUID()}`,
      args: ['from-e2e'],
      workflowExecutionTimeout: '60 seconds',
    })
    assert.match(result, /^pong: from-e2e/)

    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const [code] = await exited
    assert.equal(code, 0)
  }).timeout(90_000)
})
