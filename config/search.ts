import env from '#start/env'

/* One JobSearchIndex port; the adapter is chosen here (see ARCHITECTURE "Search"). */
const searchConfig = {
  engine: env.get('SEARCH_ENGINE', 'postgres'),
  opensearchUrl: env.get('OPENSEARCH_URL'),
  elasticsearchUrl: env.get('ELASTICSEARCH_URL'),
  indexAlias: 'pathways-jobs',
}

export type SearchConfig = typeof searchConfig
export default searchConfig
