import type { ApplicationService } from '@adonisjs/core/types'
import { ApplicationFailure, Context } from '@temporalio/activity'
import { SourceFetchError } from '#services/jobs/source_fetcher'
import type { RunStats } from '#services/jobs/ingestion_service'

export interface IngestActivityResult {
  stats: RunStats
  /**
   * Every document this run changed is in the search index. False after an index failure
   * or on a retried attempt (rows committed by an earlier attempt are unchanged now, so
   * this attempt would not index them): the workflow then runs `indexIngestionRun`.
   */
  indexComplete: boolean
  /** a suspicious answer (empty or truncated): nothing was closed */
  warning: string | null
}

/**
 * Job ingestion activities: idempotent (keyed by the workflow id), heartbeating while they
 * page and wait, and cancellable (the activity's cancellation signal aborts fetches and waits).
 */
export function jobsActivities(app: ApplicationService) {
  return {
    async startIngestionRun(sourceId: string, workflowId: string): Promise<string | null> {
      const { startRun } = await import('#services/jobs/ingestion_service')
      return startRun(sourceId, workflowId)
    },

    /**
     * Fetches every page, upserts and indexes. 429/5xx are retried in-process honouring
     * Retry-After (heartbeating while waiting); beyond that the failure goes to Temporal's
     * retry policy, with `nextRetryDelay` = Retry-After when the board sent one. An index
     * failure does not fail the run: the rows are committed and indexing catches up after.
     */
    async ingestSource(sourceId: string): Promise<IngestActivityResult> {
      const { loadSource, runIngestion } = await import('#services/jobs/ingestion_service')
      const { ingestionSettings } = await import('#services/jobs/settings')
      const source = await loadSource(sourceId)
      if (!source)
        throw ApplicationFailure.nonRetryable(
          `job source ${sourceId} no longer exists`,
          'SourceGone'
        )
      const index = await app.container.make('search.jobs')
      const settings = ingestionSettings()
      const context = Context.current()
      try {
        const result = await runIngestion(source, {
          index,
          ...settings.fetch,
          minListedRatio: settings.minListedRatio,
          indexBatchSize: settings.indexBatchSize,
          allowFileUrls: !app.inProduction,
          signal: context.cancellationSignal,
          onWait: (info) => context.heartbeat({ waiting: info }),
          onPage: (progress) => context.heartbeat(progress),
          onIndexError: (error) =>
            context.log.warn('search index write failed; indexing will catch up', {
              error: (error as Error)?.message,
            }),
        })
        return { ...result, indexComplete: result.indexComplete && context.info.attempt === 1 }
      } catch (error) {
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason
        if (error instanceof SourceFetchError) {
          throw error.retryable
            ? ApplicationFailure.create({
                message: error.message,
                type: 'SourceUnavailable',
                nextRetryDelay: error.retryAfterMs,
              })
            : ApplicationFailure.nonRetryable(error.message, 'SourceRejected')
        }
        throw error
      }
    },

    /**
     * Brings the search index up to date with every job the run wrote (since the run's
     * start), whatever earlier attempts managed: idempotent, retried until the engine is back.
     */
    async indexIngestionRun(workflowId: string): Promise<{ indexed: number; removed: number }> {
      const { indexChangedSince, runScope } = await import('#services/jobs/ingestion_service')
      const { ingestionSettings } = await import('#services/jobs/settings')
      const scope = await runScope(workflowId)
      if (!scope) return { indexed: 0, removed: 0 }
      const index = await app.container.make('search.jobs')
      const context = Context.current()
      return indexChangedSince(
        scope.sourceId,
        scope.since,
        index,
        ingestionSettings().indexBatchSize,
        (done) => context.heartbeat({ indexed: done })
      )
    },

    async finishIngestionRun(
      workflowId: string,
      outcome: { stats?: RunStats; error?: string; warning?: string | null }
    ) {
      const { finishRun } = await import('#services/jobs/ingestion_service')
      await finishRun(workflowId, outcome)
    },
  }
}
