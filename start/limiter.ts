import limiter from '@adonisjs/limiter/services/main'
import { principalKey, rateLimitSettings, throttle } from '#services/rate_limit'

/* Sign-in attempts per client IP (all accounts): slows down credential stuffing. */
export const authIpThrottle = limiter.define('auth_ip', (ctx) =>
  limiter.allowRequests(30).every('1 minute').usingKey(`ip_${ctx.request.ip()}`)
)

/** Failed logins per account before a temporary lockout (see AccountService.login). */
export const loginFailures = () =>
  limiter.use({ requests: 5, duration: '15 minutes', blockDuration: '15 minutes' })

/*
| Stricter groups other routes can `.use()` (app/services/rate_limit.ts sets RateLimit-* headers):
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
