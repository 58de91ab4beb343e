import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Body fields that hold a password. */
const PASSWORD_FIELDS = ['password', 'newPassword', 'currentPassword']

/**
 * The body parser trims every string. A password is taken as typed instead: trimmed silently,
 * a new password with a space at either end would not be the one the user chose (the policy
 * refuses such a password, 422). A whitespace-only one stays absent, as the parser made it.
 * Where a password is checked (sign-in, re-authentication), the validator trims it again, so
 * a password set before is still found typed with or without the spaces around it.
 */
export default class UntrimmedPasswordsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const body = ctx.request.body()
    const present = PASSWORD_FIELDS.filter((field) => typeof body?.[field] === 'string')
    const raw = ctx.request.raw()
    if (present.length && raw && ctx.request.is(['json']) !== null) {
      let sent: Record<string, unknown> | null = null
      try {
        sent = JSON.parse(raw)
      } catch {
        sent = null
      }
      for (const field of present) {
        const typed = sent?.[field]
        if (typeof typed === 'string' && typed.trim() === body[field]) body[field] = typed
      }
      ctx.request.updateBody(body)
    }
    return next()
  }
}
