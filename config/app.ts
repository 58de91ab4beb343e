import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'
import proxyAddr from 'proxy-addr'

export const appKey = env.get('APP_KEY')
export const appUrl = env.get('APP_URL')

export const http = defineConfig({
  /* request.id() honours a valid incoming X-Request-Id (see request_id_middleware) */
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: true,
  /* X-Forwarded-For/-Proto are believed only from these proxies, so clients cannot spoof
     their IP past per-IP rate limits or fake TLS. Loopback only by default: a private
     address is not a proxy unless TRUSTED_PROXIES names it (e.g. the ingress's CIDR). */
  trustProxy: proxyAddr.compile(
    env
      .get('TRUSTED_PROXIES', 'loopback')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
  ),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
