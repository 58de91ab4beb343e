import limiter from '@adonisjs/limiter/services/main'
import { rateLimitSettings } from '#services/platform/rate_limit'
import { principalKey, throttle } from '#middleware/throttle'

/* Sign-in attempts per client IP (all accounts): slows down credential stuffing. */
export const authIpThrottle = limiter.define('auth_ip', (ctx) =>
  limiter.allowRequests(30).every('1 minute').usingKey(`ip_${ctx.request.ip()}`)
)

/**
 * Password attempts per account before a temporary lockout (login, re-authentication,
 * password change); counted before each check (countAttempt in app/services/platform/rate_limit.ts).
 */
export const loginFailures = () =>
  limiter.use({ requests: 5, duration: '15 minutes', blockDuration: '15 minutes' })

/** Second-factor attempts per account (sign-in challenges, step-up, factor management). */
export const mfaFailures = () =>
  limiter.use({ requests: 5, duration: '15 minutes', blockDuration: '15 minutes' })

/* Account-security routes (MFA management, re-authentication, password change), per account. */
export const accountSecurityThrottle = throttle([
  {
    name: 'account_security',
    requests: 10,
    windowSeconds: 60,
    key: (ctx) => {
      const userId = ctx.auth?.user?.id
      if (userId) return `user_${userId}`
      const principal = principalKey(ctx)
      return principal ? `principal_${principal}` : `ip_${ctx.request.ip()}`
    },
  },
])

/*
| Stricter groups other routes can `.use()` (app/middleware/throttle.ts sets RateLimit-* headers):
| - expensiveThrottle: search and report generation, per principal (or IP when anonymous).
| - machineClientThrottle: per-school quota shared by all machine clients of a school.
*/
export const expensiveThrottle = throttle([
  {
    name: 'expensive',
    requests: rateLimitSettings.expensivePerMinute,
    windowSeconds: 60,
    key: (ctx) => principalKey(ctx) ?? `ip_${ctx.request.ip()}`,
  },
])

export const machineClientThrottle = throttle([
  {
    name: 'client_school',
    requests: rateLimitSettings.machineClientPerMinute,
    windowSeconds: 60,
    key: (ctx) => (ctx.params.schoolId ? String(ctx.params.schoolId) : null),
  },
])
