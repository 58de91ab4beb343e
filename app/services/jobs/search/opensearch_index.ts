import { Client } from '@opensearch-project/opensearch'
import {
  EngineJobSearchIndex,
  indexHousekeeping,
  type EngineTransport,
} from '#services/jobs/search/engine_index'

/** `@opensearch-project/opensearch` 3.x: requests take `body`, responses come as `{ body }`. */
export function openSearchTransport(client: Client): EngineTransport {
  return {
    async aliasTargets(alias) {
      const response = await client.indices.getAlias({ name: alias }, { ignore: [404] })
      if (response.statusCode === 404) return []
      return Object.keys(response.body as object)
    },
    async createIndex(name, definition) {
      await client.indices.create({ index: name, body: definition as any })
    },
    async updateAliases(actions) {
      await client.indices.updateAliases({ body: { actions: actions as any } })
    },
    async bulk(lines, refresh) {
      const response = await client.bulk({ body: lines as any, refresh })
      return response.body
    },
    async search(index, body) {
      const response = await client.search({ index, body: body as any })
      return response.body
    },
    ...indexHousekeeping(client.indices),
  }
}

export function createOpenSearchIndex(
  url: string,
  alias: string,
  options: { refreshOnWrite?: boolean } = {}
) {
  const client = new Client({ node: url })
  return new EngineJobSearchIndex('opensearch', openSearchTransport(client), alias, options)
}
