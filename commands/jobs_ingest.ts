import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import cliProgress from 'cli-progress'

/**
 * Runs one ingestion of a source in this process (same pipeline as the `jobIngestion`
 * activity), with a progress bar, and records the run like a scheduled one would.
 */
export default class JobsIngest extends BaseCommand {
  static commandName = 'jobs:ingest'
  static description =
    'Ingest one job source now, from the terminal (progress bar, run stats recorded)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Job source id', required: true })
  declare source: string

  async run() {
    const { loadSource, runIngestion, startRun, finishRun } =
      await import('#services/jobs/ingestion_service')
    const { ingestionSettings } = await import('#services/jobs/settings')
    const source = await loadSource(this.source).catch(() => null)
    if (!source) {
      this.logger.error(`no job source ${this.source}`)
      this.exitCode = 1
      return
    }
    const index = await this.app.container.make('search.jobs')
    const workflowId = `cli:${source.id}:${new Date().toISOString()}`
    await startRun(source.id, workflowId)

    const bar = new cliProgress.SingleBar(
      {
        format: `${source.name} |{bar}| page {page} · {fetched} fetched · {created} new · {updated} updated · {unchanged} unchanged · {failed} failed`,
        noTTYOutput: true,
        notTTYSchedule: 1000,
      },
      cliProgress.Presets.shades_classic
    )
    bar.start(1, 0, { page: 0, fetched: 0, created: 0, updated: 0, unchanged: 0, failed: 0 })
    try {
      const settings = ingestionSettings()
      const { stats, warning } = await runIngestion(source, {
        index,
        ...settings.fetch,
        minListedRatio: settings.minListedRatio,
        indexBatchSize: settings.indexBatchSize,
        allowFileUrls: !this.app.inProduction,
        onWait: ({ waitMs, reason }) =>
          this.logger.info(`${reason}: waiting ${Math.round(waitMs / 1000)}s`),
        onPage: ({ page, stats: s }) => {
          bar.setTotal(page + 1)
          bar.update(page, { page, ...s })
        },
      })
      bar.setTotal(1)
      bar.update(1, stats)
      bar.stop()
      await finishRun(workflowId, { stats, warning })
      if (warning) this.logger.warning(warning)
      this.logger.success(
        `fetched ${stats.fetched}, created ${stats.created}, updated ${stats.updated}, unchanged ${stats.unchanged}, closed ${stats.closed}, failed ${stats.failed}`
      )
    } catch (error) {
      bar.stop()
      await finishRun(workflowId, { error: (error as Error).message })
      this.logger.error((error as Error).message)
      this.exitCode = 1
    }
  }
}
