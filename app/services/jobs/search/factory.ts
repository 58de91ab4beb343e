import type { SearchConfig } from '#config/search'
import { PostgresJobSearchIndex } from '#services/jobs/search/postgres_index'
import { createOpenSearchIndex } from '#services/jobs/search/opensearch_index'
import { createElasticsearchIndex } from '#services/jobs/search/elasticsearch_index'
import type { JobSearchIndex } from '#services/jobs/search/types'

/** The adapter named by SEARCH_ENGINE (see ARCHITECTURE "Search"). */
export function createJobSearchIndex(
  config: Pick<SearchConfig, 'engine' | 'opensearchUrl' | 'elasticsearchUrl' | 'indexAlias'>,
  options: { alias?: string; refreshOnWrite?: boolean } = {}
): JobSearchIndex {
  const alias = options.alias ?? config.indexAlias
  switch (config.engine) {
    case 'opensearch':
      if (!config.opensearchUrl) throw new Error('SEARCH_ENGINE=opensearch needs OPENSEARCH_URL')
      return createOpenSearchIndex(config.opensearchUrl, alias, options)
    case 'elasticsearch':
      if (!config.elasticsearchUrl)
        throw new Error('SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL')
      return createElasticsearchIndex(config.elasticsearchUrl, alias, options)
    default:
      return new PostgresJobSearchIndex()
  }
}
