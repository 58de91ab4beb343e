import { proxyActivities, workflowInfo } from '@temporalio/workflow'
import type { Activities } from './activities/index.js'

export interface JobIngestionInput {
  sourceId: string
  /** activity retry timings (tests pass seconds) */
  retry?: { initialInterval?: string; maximumAttempts?: number }
}

/**
 * One ingestion run of a source: record the run, page/upsert/index/close, store the stats.
 * Started by the source's Temporal Schedule or by "run now" (id `ingest:{sourceId}:{startedAt}`).
 */
export async function jobIngestion(input: JobIngestionInput) {
  const { workflowId } = workflowInfo()
  const bookkeeping = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumAttempts: 10 },
  })
  const { ingestSource } = proxyActivities<Activities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: {
      initialInterval: (input.retry?.initialInterval ?? '5 seconds') as '1 second',
      backoffCoefficient: 2,
      maximumInterval: '10 minutes',
      maximumAttempts: input.retry?.maximumAttempts ?? 5,
      nonRetryableErrorTypes: ['SourceRejected', 'SourceGone'],
    },
  })

  const runId = await bookkeeping.startIngestionRun(input.sourceId, workflowId)
  if (!runId) return { status: 'source-gone' as const }
  try {
    const stats = await ingestSource(input.sourceId)
    await bookkeeping.finishIngestionRun(workflowId, { stats })
    return { status: 'succeeded' as const, stats }
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
    const message = cause instanceof Error ? cause.message : String(cause)
    // the run is recorded as failed (retries exhausted or the board refused): the workflow completes
    await bookkeeping.finishIngestionRun(workflowId, { error: message })
    return { status: 'failed' as const, error: message }
  }
}
