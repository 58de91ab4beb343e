import {
  ActivityCancellationType,
  CancellationScope,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow'
import type { Activities } from './activities/index.js'

export interface JobIngestionInput {
  sourceId: string
  /** activity retry timings (tests pass seconds) */
  retry?: { initialInterval?: string; maximumAttempts?: number }
}

/**
 * One ingestion run of a source: record the run, page/upsert/index/close, catch the search
 * index up when a write to it failed or the activity was retried, store the stats.
 * Started by the source's Temporal Schedule (id `ingest:{sourceId}-{scheduledTime}`);
 * "run now" triggers that schedule, so its overlap policy applies.
 */
export async function jobIngestion(input: JobIngestionInput) {
  const { workflowId } = workflowInfo()
  const bookkeeping = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumAttempts: 10 },
  })
  const { ingestSource } = proxyActivities<Activities>({
    startToCloseTimeout: '30 minutes',
    // The activity heartbeats every page and every 10 s of a wait; in-process waits are
    // capped at 1 minute and a fetch at 30 s, so 3 minutes of silence means a lost worker.
    heartbeatTimeout: '3 minutes',
    // A cancelled run waits for the activity to stop (its fetches and waits are aborted),
    // so a later attempt or run never races an old one.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      initialInterval: (input.retry?.initialInterval ?? '5 seconds') as '1 second',
      backoffCoefficient: 2,
      maximumInterval: '10 minutes',
      maximumAttempts: input.retry?.maximumAttempts ?? 5,
      nonRetryableErrorTypes: ['SourceRejected', 'SourceGone'],
    },
  })
  // Indexing catch-up: the rows are committed, so it retries until the engine is back,
  // bounded by a business deadline rather than an attempt count.
  const { indexIngestionRun } = proxyActivities<Activities>({
    startToCloseTimeout: '30 minutes',
    scheduleToCloseTimeout: '6 hours',
    heartbeatTimeout: '3 minutes',
    retry: {
      initialInterval: (input.retry?.initialInterval ?? '5 seconds') as '1 second',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
    },
  })

  const runId = await bookkeeping.startIngestionRun(input.sourceId, workflowId)
  if (!runId) return { status: 'source-gone' as const }
  try {
    const result = await ingestSource(input.sourceId)
    if (!result.indexComplete) await indexIngestionRun(workflowId)
    await bookkeeping.finishIngestionRun(workflowId, {
      stats: result.stats,
      warning: result.warning,
    })
    return { status: 'succeeded' as const, stats: result.stats, warning: result.warning }
  } catch (error) {
    const cancelled = isCancellation(error)
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
    const message = cancelled ? 'cancelled' : cause instanceof Error ? cause.message : String(cause)
    // the run is recorded as failed (retries exhausted, the board refused, or cancelled)
    await CancellationScope.nonCancellable(() =>
      bookkeeping.finishIngestionRun(workflowId, { error: message })
    )
    if (cancelled) throw error
    return { status: 'failed' as const, error: message }
  }
}
