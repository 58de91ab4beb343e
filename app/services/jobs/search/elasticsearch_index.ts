import { Client, errors } from '@elastic/elasticsearch'
import {
  EngineJobSearchIndex,
  indexHousekeeping,
  type EngineTransport,
} from '#services/jobs/search/engine_index'

/**
 * `@elastic/elasticsearch` 8/9: request fields at the top level (no `body`), responses are the
 * body itself. The client refuses servers that are not Elasticsearch (product check).
 */
export function elasticsearchTransport(client: Client): EngineTransport {
  return {
    async aliasTargets(alias) {
      try {
        return Object.keys(await client.indices.getAlias({ name: alias }))
      } catch (error) {
        if (error instanceof errors.ResponseError && error.statusCode === 404) return []
        throw error
      }
    },
    async createIndex(name, definition) {
      await client.indices.create({
        index: name,
        settings: definition.settings as any,
        mappings: definition.mappings as any,
      })
    },
    async updateAliases(actions) {
      await client.indices.updateAliases({ actions: actions as any })
    },
    async bulk(lines, refresh) {
      return client.bulk({ operations: lines as any, refresh })
    },
    async search(index, body) {
      return client.search({ index, ...body })
    },
    ...indexHousekeeping(client.indices),
  }
}

export function createElasticsearchIndex(
  url: string,
  alias: string,
  options: { refreshOnWrite?: boolean } = {}
) {
  const client = new Client({ node: url })
  return new EngineJobSearchIndex('elasticsearch', elasticsearchTransport(client), alias, options)
}
