import vine from '@vinejs/vine'
import { PADDED_PASSWORD } from '#services/identity/password_policy'

/** What JavaScript's `trim` removes, as a character class (JSON Schema and JavaScript alike). */
const PADDING =
  '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'

/**
 * A new password is taken as typed (untrimmed_passwords_middleware): one that begins or ends
 * with whitespace is refused rather than silently changed. The document says so with a pattern.
 */
export const unpadded = vine.createRule(
  (value, _options, field) => {
    if (typeof value === 'string' && value !== value.trim()) {
      field.report(PADDED_PASSWORD, 'unpadded', field)
    }
  },
  {
    name: 'unpadded',
    toJSONSchema: (schema) => {
      schema.pattern = `^[^${PADDING}]([\\s\\S]*[^${PADDING}])?$`
    },
  }
)
