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
  /* X-Forwarded-For is believed only from these proxies (the ingress), so clients
     cannot spoof their IP past per-IP rate limits. */
  trustProxy: proxyAddr.compile(
    env
      .get('TRUSTED_PROXIES', 'loopback,uniquelocal')
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
