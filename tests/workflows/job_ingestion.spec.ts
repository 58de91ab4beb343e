import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { CancelledFailure } from '@temporalio/common'
import { MockActivityEnvironment } from '@temporalio/testing'
import { freshState } from '#tests/helpers/database'
import {
  allowOutbound,
  insertSource,
  jobsFixture,
  sendJson,
  startBoardServer,
} from '#tests/helpers/jobs_helpers'
import { jobsActivities } from '#workflows/activities/jobs'

/** Sets process env variables for one test; returns the restore function. */
function withEnv(values: Record<string, string>) {
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]))
  Object.assign(process.env, values)
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** Resolves with how the promise settled, or 'pending' after `ms` (bounds a red run). */
function settledWithin<T>(promise: Promise<T>, ms: number) {
  return Promise.race([
    promise.then(
      (value) => ({ state: 'resolved' as const, value }),
      (error) => ({ state: 'rejected' as const, error })
    ),
    new Promise<{ state: 'pending' }>((resolve) =>
      setTimeout(() => resolve({ state: 'pending' }), ms).unref()
    ),
  ])
}

test.group('jobIngestion activity: cancellation and heartbeats', (group) => {
  freshState(group)

  test('cancelling the activity ends a Retry-After wait at once, with no further request', async ({
    assert,
    cleanup,
  }) => {
    cleanup(withEnv({ JOBS_INGEST_MAX_RETRY_AFTER_MS: '600000', JOBS_INGEST_FETCH_ATTEMPTS: '3' }))
    let firstRequest!: () => void
    const requested = new Promise<void>((resolve) => (firstRequest = resolve))
    const board = await startBoardServer((_req, res) => {
      firstRequest()
      sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '30' })
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({ kind: 'greenhouse', url: board.url, boardToken: 'acme' })

    const env = new MockActivityEnvironment({ attempt: 1 })
    const running = env.run(jobsActivities(app).ingestSource, source.id)
    running.catch(() => {})
    await requested
    const cancelledAt = Date.now()
    env.cancel()
    const outcome = await settledWithin(running, 5000)
    assert.equal(outcome.state, 'rejected')
    assert.instanceOf((outcome as any).error, CancelledFailure)
    assert.isBelow(Date.now() - cancelledAt, 2000)
    assert.lengthOf(board.requests, 1)
  }).timeout(20_000)

  test('cancelling the activity aborts a fetch in flight', async ({ assert, cleanup }) => {
    let firstRequest!: () => void
    const requested = new Promise<void>((resolve) => (firstRequest = resolve))
    // never answers: only the abort signal (or the 30 s deadline) ends the request
    const board = await startBoardServer(() => firstRequest())
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({ kind: 'greenhouse', url: board.url, boardToken: 'acme' })

    const env = new MockActivityEnvironment({ attempt: 1 })
    const running = env.run(jobsActivities(app).ingestSource, source.id)
    running.catch(() => {})
    await requested
    const cancelledAt = Date.now()
    env.cancel()
    const outcome = await settledWithin(running, 5000)
    assert.equal(outcome.state, 'rejected')
    assert.instanceOf((outcome as any).error, CancelledFailure)
    assert.isBelow(Date.now() - cancelledAt, 2000)
  }).timeout(20_000)

  test('a long wait heartbeats regularly, not once', async ({ assert, cleanup }) => {
    cleanup(withEnv({ JOBS_INGEST_HEARTBEAT_MS: '200' }))
    let throttled = false
    const board = await startBoardServer((_req, res) => {
      if (!throttled) {
        throttled = true
        return sendJson(res, 503, { error: 'maintenance' }, { 'retry-after': '2' })
      }
      sendJson(res, 200, jobsFixture('greenhouse_jobs.json'))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({
      kind: 'greenhouse',
      url: board.url,
      boardToken: 'acmerobotics',
    })

    const env = new MockActivityEnvironment({ attempt: 1 })
    const waiting: unknown[] = []
    env.on('heartbeat', (details: any) => {
      if (details?.waiting) waiting.push(details)
    })
    const result: any = await env.run(jobsActivities(app).ingestSource, source.id)
    assert.equal(result.stats?.created ?? result.created, 2)
    // 2 s wait, a heartbeat at least every 200 ms (allowing for a slow machine)
    assert.isAtLeast(waiting.length, 5)
  }).timeout(20_000)
})
