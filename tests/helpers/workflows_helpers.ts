import app from '@adonisjs/core/services/app'
import { writeFile } from 'node:fs/promises'
import type { WorkflowHandle } from '@temporalio/client'
import proto from '@temporalio/proto'

const { temporal } = proto
import type { TemporalConfig } from '#config/temporal'
import { messagesTo } from '#tests/helpers/mailpit'
import { startTestWorker } from '#tests/helpers/temporal'

/** The queue the API starts workflows on (TEMPORAL_TASK_QUEUE): tests run their worker there. */
export function apiTaskQueue() {
  return app.config.get<TemporalConfig>('temporal').taskQueue
}

export function startApiQueueWorker(options: { relay?: boolean } = {}) {
  return startTestWorker(apiTaskQueue(), options)
}

/** Polls `probe` until it returns a truthy value (bounded), then returns it. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value) return value
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Waits until `count` mails to `address` have a subject containing `subjectPart`. */
export async function mailsTo(address: string, subjectPart: string, count = 1) {
  return eventually(
    async () => {
      const found = (await messagesTo(address)).filter((m) => m.Subject.includes(subjectPart))
      return found.length >= count ? found : null
    },
    { what: `${count} "${subjectPart}" mail(s) to ${address}` }
  )
}

export function unique(prefix: string) {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@wf.test`
}

/** Sets workflow durations for the duration of a test; returns the restore function. */
export function withWorkflowConfig(values: Record<string, unknown>) {
  const previous = Object.fromEntries(
    Object.keys(values).map((key) => [key, app.config.get(`workflows.${key}`)])
  )
  for (const [key, value] of Object.entries(values)) app.config.set(`workflows.${key}`, value)
  return () => {
    for (const [key, value] of Object.entries(previous)) app.config.set(`workflows.${key}`, value)
  }
}

/**
 * With RECORD_WORKFLOW_HISTORIES=1, stores the finished workflow's history (`handle.fetchHistory()`)
 * under tests/workflows/histories/ as protobuf object JSON (longs, enums and bytes as strings);
 * `historyFromStoredJSON` reads it back for `Worker.runReplayHistories`.
 */
export async function recordHistory(handle: WorkflowHandle, name: string) {
  if (process.env.RECORD_WORKFLOW_HISTORIES !== '1') return
  await handle.result().catch(() => {})
  const history = await handle.fetchHistory()
  const json = temporal.api.history.v1.History.toObject(
    temporal.api.history.v1.History.fromObject(history),
    { longs: String, enums: String, bytes: String }
  )
  await writeFile(
    app.makePath(`tests/workflows/histories/${name}.json`),
    JSON.stringify(json, null, 1) + '\n'
  )
}

export function historyFromStoredJSON(json: unknown) {
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>)
}
