import vine from '@vinejs/vine'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { ProblemException } from '#exceptions/problem_exception'

/*
| Keyset pagination, one helper for every list: `{ data, nextCursor }`, where nextCursor is an
| opaque base64url token naming the last row's sort key (null on the last page). A keyset says
| how a list is ordered, how a cursor is written and read, and which rows come after it; a
| cursor that does not decode is a bad field value (422 validation-error, never a 500).
*/

export const paginationFields = {
  cursor: vine.string().trim().maxLength(200).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
}

export interface PageOptions {
  cursor?: string
  limit?: number
}

type AnyQuery = DatabaseQueryBuilderContract<any> | ModelQueryBuilderContract<LucidModel, any>

export interface Keyset<Row, Item> {
  /** Orders the query and, given a decoded cursor, keeps only the rows after it. */
  apply(query: AnyQuery, after: string[] | null): void
  /** The sort key values a cursor names; throws 422 when it is not one of ours. */
  decode(cursor: string): string[]
  /** The cursor naming this row (the page's last). */
  encode(row: Row, item: Item): string
}

export function invalidCursor() {
  return new ProblemException(
    422,
    'validation-error',
    'Unprocessable Content',
    'The cursor is invalid.',
    [{ field: 'cursor', message: 'The cursor is invalid.' }]
  )
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BIGINT = /^\d{1,18}$/

function decodeText(cursor: string) {
  return Buffer.from(cursor, 'base64url').toString('utf8')
}

function encodeText(text: string) {
  return Buffer.from(text).toString('base64url')
}

/**
 * Ordered by one unique column (a uuid by default, or a bigint): the cursor is the last id.
 * `field` is the row property holding it when the column is qualified (`a.id` -> `id`).
 */
export function byId<Row>(
  options: {
    column?: string
    field?: string
    direction?: 'asc' | 'desc'
    format?: 'uuid' | 'bigint'
  } = {}
): Keyset<Row, unknown> {
  const column = options.column ?? 'id'
  const field = options.field ?? 'id'
  const direction = options.direction ?? 'asc'
  const format = options.format === 'bigint' ? BIGINT : UUID
  return {
    apply(query, after) {
      if (after) query.where(column, direction === 'asc' ? '>' : '<', after[0])
      query.orderBy(column, direction)
    },
    decode(cursor) {
      const id = decodeText(cursor)
      if (!format.test(id)) throw invalidCursor()
      return [id]
    },
    encode(row) {
      return encodeText(String((row as Record<string, unknown>)[field]))
    },
  }
}

/**
 * Newest first by a timestamp, ties broken by id: the cursor is the JSON pair [timestamp, id]
 * as the list shows them (`key` reads them from the shaped item).
 */
export function byTimeThenId<Row, Item>(options: {
  timeColumn: string
  idColumn?: string
  key: (item: Item) => [string, string]
}): Keyset<Row, Item> {
  const idColumn = options.idColumn ?? 'id'
  return {
    apply(query, after) {
      if (after) {
        query.whereRaw(`(??, ??) < (?::timestamptz, ?::uuid)`, [
          options.timeColumn,
          idColumn,
          ...after,
        ])
      }
      query.orderBy(options.timeColumn, 'desc').orderBy(idColumn, 'desc')
    },
    decode(cursor) {
      let value: unknown
      try {
        value = JSON.parse(decodeText(cursor))
      } catch {
        throw invalidCursor()
      }
      if (
        !Array.isArray(value) ||
        value.length !== 2 ||
        typeof value[0] !== 'string' ||
        Number.isNaN(Date.parse(value[0])) ||
        typeof value[1] !== 'string' ||
        !UUID.test(value[1])
      ) {
        throw invalidCursor()
      }
      return value as [string, string]
    },
    encode(_row, item) {
      return encodeText(JSON.stringify(options.key(item)))
    },
  }
}

/** One page of `query` in `keyset` order; `map` shapes each row (the transformer). */
export async function keysetPage<Row, Item = Row>(
  query: AnyQuery,
  keyset: Keyset<Row, Item>,
  options: PageOptions,
  map?: (row: Row) => Item
): Promise<{ data: Item[]; nextCursor: string | null }> {
  const limit = options.limit ?? 25
  keyset.apply(query, options.cursor ? keyset.decode(options.cursor) : null)
  const rows = (await query.limit(limit + 1)) as Row[]
  const page = rows.slice(0, limit)
  const data = map ? page.map(map) : (page as unknown as Item[])
  const last = page.length > 0 ? page.length - 1 : -1
  return {
    data,
    nextCursor: rows.length > limit && last >= 0 ? keyset.encode(page[last], data[last]) : null,
  }
}

/** Keyset pagination on `id` for a model query: model instances. */
export function paginate<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  options: PageOptions
) {
  return keysetPage<InstanceType<Model>>(query, byId(), options)
}

/** Keyset pagination on `id` for a plain query builder: rows. */
export function paginateRows<Row extends { id: string }>(
  query: DatabaseQueryBuilderContract<any>,
  options: PageOptions
) {
  return keysetPage<Row>(query, byId(), options)
}
