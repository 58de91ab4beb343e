import type { ApplicationService } from '@adonisjs/core/types'
import { ApplicationFailure, Context } from '@temporalio/activity'
import { SourceFetchError } from '#services/jobs/source_fetcher'
import type { RunStats } from '#services/jobs/ingestion_service'

/** Job ingestion activities: idempotent (keyed by the workflow id), heartbeating while they page. */
export function jobsActivities(app: ApplicationService) {
  return {
    async startIngestionRun(sourceId: string, workflowId: string): Promise<string | null> {
      const { startRun } = await import('#services/jobs/ingestion_service')
      return startRun(sourceId, workflowId)
    },

    /**
     * Fetches every page, upserts and indexes. 429/5xx are retried in-process honouring
     * Retry-After (heartbeating while waiting); beyond that the failure goes to Temporal's
     * retry policy, with `nextRetryDelay` = Retry-After when the board sent one.
     */
    async ingestSource(sourceId: string): Promise<RunStats> {
      const { loadSource, ingestSource } = await import('#services/jobs/ingestion_service')
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
        return await ingestSource(source, {
          index,
          ...settings.fetch,
          allowFileUrls: !app.inProduction,
          onWait: (info) => context.heartbeat({ waiting: info }),
          onPage: (progress) => context.heartbeat(progress),
        })
      } catch (error) {
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

    async finishIngestionRun(workflowId: string, outcome: { stats?: RunStats; error?: string }) {
      const { finishRun } = await import('#services/jobs/ingestion_service')
      await finishRun(workflowId, outcome)
    },
  }
}
