import type { SearchConfig } from '#config/search'
import { PostgresJobSearchIndex } from '#services/jobs/search/postgres_index'
import type { JobSearchIndex } from '#services/jobs/search/types'

/**
 * The adapter named by SEARCH_ENGINE (see ARCHITECTURE "Search"). Only that engine's client is
 * loaded: the OpenSearch and Elasticsearch clients are ~15 MB of heap a process would carry unused.
 */
export async function createJobSearchIndex(
  config: Pick<SearchConfig, 'engine' | 'opensearchUrl' | 'elasticsearchUrl' | 'indexAlias'>,
  options: { alias?: string; refreshOnWrite?: boolean } = {}
): Promise<JobSearchIndex> {
  const alias = options.alias ?? config.indexAlias
  switch (config.engine) {
    case 'opensearch': {
      if (!config.opensearchUrl) throw new Error('SEARCH_ENGINE=opensearch needs OPENSEARCH_URL')
      const { createOpenSearchIndex } = await import('#services/jobs/search/opensearch_index')
      return createOpenSearchIndex(config.opensearchUrl, alias, options)
    }
    case 'elasticsearch': {
      if (!config.elasticsearchUrl)
        throw new Error('SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL')
      const { createElasticsearchIndex } = await import('#services/jobs/search/elasticsearch_index')
      return createElasticsearchIndex(config.elasticsearchUrl, alias, options)
    }
    default:
      return new PostgresJobSearchIndex()
  }
}
