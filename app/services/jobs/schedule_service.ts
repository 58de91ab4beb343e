import app from '@adonisjs/core/services/app'
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client'
import type { TemporalConfig } from '#config/temporal'
import { jobIngestion, type JobIngestionInput } from '#workflows/job_ingestion'

/** One Temporal Schedule per source runs `jobIngestion` every `interval_minutes`. */
export const scheduleIdOf = (sourceId: string) => `job-source:${sourceId}`

async function temporal(): Promise<{ client: Client; taskQueue: string }> {
  const client = await app.container.make('temporal.client')
  // Ingestion has its own task queue: a slow board never delays an invitation mail.
  return { client, taskQueue: app.config.get<TemporalConfig>('temporal').ingestionTaskQueue }
}

export interface ScheduledSource {
  id: string
  name: string
  intervalMinutes: number
  status: 'active' | 'paused'
}

/** At most one run per source at a time: a tick or "run now" during a run is skipped. */
const OVERLAP = ScheduleOverlapPolicy.SKIP

/** A tenth of the interval, at most 5 minutes. */
export const jitterSeconds = (intervalMinutes: number) =>
  Math.min(300, Math.max(1, Math.round(intervalMinutes * 6)))

/** Creates the schedule, or updates it when it exists (idempotent). */
export async function upsertSchedule(
  source: ScheduledSource,
  input: Partial<JobIngestionInput> = {}
) {
  const { client, taskQueue } = await temporal()
  const action = {
    type: 'startWorkflow' as const,
    workflowType: jobIngestion,
    // Temporal appends the scheduled time: ingest:{sourceId}-{time}
    workflowId: `ingest:${source.id}`,
    taskQueue,
    args: [{ ...input, sourceId: source.id }] as [JobIngestionInput],
  }
  const spec = {
    intervals: [{ every: `${source.intervalMinutes} minutes` as const }],
    // sources created together must not all hit their boards (and the worker) at one instant
    jitter: `${jitterSeconds(source.intervalMinutes)} seconds` as const,
  }
  try {
    await client.schedule.create({
      scheduleId: scheduleIdOf(source.id),
      spec,
      action,
      policies: { overlap: OVERLAP, catchupWindow: '5 minutes' },
      state: { paused: source.status === 'paused', note: `job source ${source.name}` },
    })
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error
    await client.schedule.getHandle(scheduleIdOf(source.id)).update((previous) => ({
      ...previous,
      spec,
      action,
      state: { ...previous.state, paused: source.status === 'paused' },
    }))
  }
}

export async function pauseSchedule(sourceId: string, note = 'paused') {
  const { client } = await temporal()
  await client.schedule.getHandle(scheduleIdOf(sourceId)).pause(note)
}

export async function resumeSchedule(sourceId: string, note = 'resumed') {
  const { client } = await temporal()
  await client.schedule.getHandle(scheduleIdOf(sourceId)).unpause(note)
}

export async function deleteSchedule(sourceId: string) {
  const { client } = await temporal()
  try {
    await client.schedule.getHandle(scheduleIdOf(sourceId)).delete()
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error
  }
}

export async function describeSchedule(sourceId: string) {
  const { client } = await temporal()
  return client.schedule.getHandle(scheduleIdOf(sourceId)).describe()
}

/**
 * "Run now": triggers the source's schedule, so the run is a scheduled one like any other
 * (id `ingest:{sourceId}-{time}`, the ingestion task queue) and the schedule's overlap
 * policy (SKIP) applies: while a run is in progress the trigger is skipped.
 */
export async function runNow(sourceId: string) {
  const { client } = await temporal()
  // the SDK's trigger() defaults to ALLOW_ALL, not the schedule's policy: pass it explicitly
  await client.schedule.getHandle(scheduleIdOf(sourceId)).trigger(OVERLAP)
  return { scheduleId: scheduleIdOf(sourceId) }
}
