import type { ApplicationService } from '@adonisjs/core/types'
import type { SearchConfig } from '#config/search'
import type { JobSearchIndex } from '#services/jobs/search/types'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    'search.jobs': JobSearchIndex
  }
}

/** One JobSearchIndex per process, the adapter chosen by SEARCH_ENGINE. */
export default class SearchProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('search.jobs', async () => {
      const { createJobSearchIndex } = await import('#services/jobs/search/factory')
      return createJobSearchIndex(this.app.config.get<SearchConfig>('search'))
    })
  }
}
