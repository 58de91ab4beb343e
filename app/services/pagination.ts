import vine from '@vinejs/vine'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'

export const paginationFields = {
  cursor: vine.string().trim().maxLength(200).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
}

/** Keyset pagination on `id`: `{ data, nextCursor }` where nextCursor is opaque. */
export async function paginate<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  options: { cursor?: string; limit?: number }
) {
  const limit = options.limit ?? 25
  if (options.cursor) {
    const after = Buffer.from(options.cursor, 'base64url').toString('utf8')
    query.where('id', '>', after)
  }
  const rows = await query.orderBy('id', 'asc').limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1) as { id: string } | undefined
  return {
    data: page,
    nextCursor:
      rows.length > limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  }
}
