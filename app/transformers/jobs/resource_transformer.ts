import { BaseTransformer } from '@adonisjs/core/transformers'

type Shaper<R, A extends unknown[], O> = new (resource: R, ...rest: A) => { toObject(): O }

/**
 * The framework's transformer, resolved synchronously. `BaseTransformer.transform()` returns an
 * item that a serializer resolves asynchronously and (by default) wraps in `{ data }`; our
 * published contract returns resources unwrapped, so controllers call `item`/`collection`,
 * which run `toObject()` directly and return the plain object the route documents.
 */
export abstract class ResourceTransformer<T> extends BaseTransformer<T> {
  abstract toObject(): Record<string, unknown>

  static item<R, A extends unknown[], O>(this: Shaper<R, A, O>, resource: R, ...rest: A): O {
    return new this(resource, ...rest).toObject()
  }

  static collection<R, A extends unknown[], O>(
    this: Shaper<R, A, O>,
    resources: readonly R[],
    ...rest: A
  ): O[] {
    return resources.map((resource) => new this(resource, ...rest).toObject())
  }

  /** A cursor page (`{ data, nextCursor }`) with each row shaped. */
  static page<R, A extends unknown[], O>(
    this: Shaper<R, A, O>,
    page: { data: readonly R[]; nextCursor: string | null },
    ...rest: A
  ): { data: O[]; nextCursor: string | null } {
    return {
      data: page.data.map((resource) => new this(resource, ...rest).toObject()),
      nextCursor: page.nextCursor,
    }
  }
}

/** An ISO-8601 timestamp for a driver value (Date or string), or null when absent. */
export function isoOrNull(value: unknown): string | null {
  return value ? new Date(value as string | Date).toISOString() : null
}

export function iso(value: unknown): string {
  return new Date(value as string | Date).toISOString()
}

/** A `date` column as `YYYY-MM-DD` (the driver returns a Date at midnight UTC), or null. */
export function dateOnly(value: unknown): string | null {
  return value instanceof Date
    ? value.toISOString().slice(0, 10)
    : ((value as string | null) ?? null)
}

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S

/** The named columns with their values unchanged, each under its camelCase name, in the order given. */
export function columns<R, K extends keyof R & string>(
  row: R,
  ...names: K[]
): { [P in K as CamelCase<P>]: R[P] } {
  return Object.fromEntries(
    names.map((name) => [
      name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      row[name],
    ])
  ) as { [P in K as CamelCase<P>]: R[P] }
}

/** The date span of a profile entry (education or experience). */
export function entryDates(row: { start_date: unknown; end_date: unknown }) {
  return { startDate: dateOnly(row.start_date), endDate: dateOnly(row.end_date) }
}
