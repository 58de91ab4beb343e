import { ProblemException } from '#exceptions/problem_exception'

/** Opaque cursors: the sort values of the last hit (search_after on the engines, keyset on SQL). */
export function encodeCursor(values: unknown[]) {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values
    }
  } catch {}
  throw new ProblemException(
    422,
    'validation-error',
    'Unprocessable Content',
    'The cursor is invalid.',
    [{ field: 'cursor', message: 'The cursor is invalid or belongs to another sort.' }]
  )
}
