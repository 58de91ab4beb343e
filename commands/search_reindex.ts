import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import cliProgress from 'cli-progress'
import { EngineJobSearchIndex } from '#services/jobs/search/engine_index'

/**
 * Rebuilds the search index with no downtime: a new index is filled from PostgreSQL while
 * searches use the alias, the alias is swapped atomically, then jobs changed meanwhile are
 * written again (catch-up) and the old index is dropped.
 */
export default class SearchReindex extends BaseCommand {
  static commandName = 'search:reindex'
  static description = 'Rebuild the job search index into a new index and swap the alias'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Documents per bulk request', default: 1000 })
  declare batchSize: number

  async run() {
    const { openJobDocuments, closedJobIdsSince } = await import('#services/jobs/search/reindex')
    const index = await this.app.container.make('search.jobs')
    if (!(index instanceof EngineJobSearchIndex)) {
      this.logger.info(
        `SEARCH_ENGINE=${index.engine}: the jobs table is the index, nothing to rebuild`
      )
      return
    }
    const startedAt = new Date()
    const bar = new cliProgress.SingleBar({
      format: 'reindex {value} documents',
      noTTYOutput: true,
      notTTYSchedule: 2000,
    })
    bar.start(0, 0)
    const result = await index.reindex(
      () => openJobDocuments(this.batchSize),
      (n) => bar.update(n)
    )
    bar.stop()
    for await (const batch of openJobDocuments(this.batchSize, startedAt)) await index.index(batch)
    await index.remove(await closedJobIdsSince(startedAt))
    this.logger.success(
      `alias ${index.alias} -> ${result.index} (${result.indexed} documents); dropped ${result.previous.join(', ') || 'nothing'}`
    )
  }
}
