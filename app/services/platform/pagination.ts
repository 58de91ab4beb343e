import vine from '@vinejs/vine'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { ProblemException } from '#exceptions/problem_exception'

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

/** The id a keyset page starts after. A forged cursor is a bad field value, answered like every other list's (422). */
export function idAfterCursor(cursor: string): string {
  const after = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[0-9a-f-]{36}$/.test(after)) {
    throw new ProblemException(
      422,
      'validation-error',
      'Unprocessable Content',
      'The cursor is invalid.',
      [{ field: 'cursor', message: 'The cursor is invalid.' }]
    )
  }
  return after
}

/** Keyset pagination on `id` for a plain query builder: the same `{ data, nextCursor }` as paginate. */
export async function paginateRows<Row extends { id: string }>(
  query: DatabaseQueryBuilderContract<any>,
  options: { cursor?: string; limit?: number },
  column = 'id'
) {
  const limit = options.limit ?? 25
  if (options.cursor) query.where(column, '>', idAfterCursor(options.cursor))
  const rows = (await query.orderBy(column, 'asc').limit(limit + 1)) as Row[]
  const data = rows.slice(0, limit)
  return {
    data,
    nextCursor:
      rows.length > limit ? Buffer.from(data[data.length - 1].id).toString('base64url') : null,
  }
}
