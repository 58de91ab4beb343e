/*
| Session limits (duration strings: '30 days', '10 minutes'). Read on every use,
| so tests can change them with `app.config.set('session.…')`.
| - idleTimeout: a refresh family unused for this long is refused (and revoked).
| - absoluteLifetime: no family outlives this, however often it is refreshed.
| - reauthenticationWindow: sensitive changes need a sign-in or re-authentication
|   of the session within this window.
*/
const read = (name: string, fallback: string) => process.env[name] || fallback

const sessionConfig = {
  idleTimeout: read('SESSION_IDLE_TIMEOUT', '30 days'),
  absoluteLifetime: read('SESSION_ABSOLUTE_LIFETIME', '90 days'),
  reauthenticationWindow: read('SESSION_REAUTHENTICATION_WINDOW', '10 minutes'),
}

export type SessionConfig = typeof sessionConfig
export default sessionConfig
