import limiter from '@adonisjs/limiter/services/main'

/* Sign-in attempts per client IP (all accounts): slows down credential stuffing. */
export const authIpThrottle = limiter.define('auth_ip', (ctx) =>
  limiter.allowRequests(30).every('1 minute').usingKey(`ip_${ctx.request.ip()}`)
)

/** Failed logins per account before a temporary lockout (see AccountService.login). */
export const loginFailures = () =>
  limiter.use({ requests: 5, duration: '15 minutes', blockDuration: '15 minutes' })
