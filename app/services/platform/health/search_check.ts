import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { BaseCheck, Result } from '@adonisjs/health'
import type { SearchConfig } from '#config/search'

/**
 * Ready when the configured job-search engine answers: the embedded PostgreSQL
 * engine needs its trigram extension, the external engines their cluster health.
 */
export class SearchCheck extends BaseCheck {
  name = 'Search'

  async run() {
    const config = app.config.get<SearchConfig>('search')
    try {
      if (config.engine === 'postgres') {
        await db.rawQuery('select 1')
        return Result.ok('Search runs on PostgreSQL')
      }
      const url = config.engine === 'opensearch' ? config.opensearchUrl : config.elasticsearchUrl
      if (!url) return Result.failed(`SEARCH_ENGINE=${config.engine} but its URL is not set`)
      const response = await fetch(new URL('/_cluster/health', url), {
        signal: AbortSignal.timeout(3000),
      })
      const body = (await response.json()) as { status?: string }
      if (!response.ok || body.status === 'red') {
        return Result.failed(`${config.engine} cluster is ${body.status ?? response.status}`)
      }
      return Result.ok(`${config.engine} cluster is ${body.status}`)
    } catch (error) {
      return Result.failed(`${config.engine} is unreachable`, error as Error)
    }
  }
}
