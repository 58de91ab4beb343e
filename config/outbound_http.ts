import env from '#start/env'

/*
| The outbound HTTP client (app/services/platform/outbound_http.ts) used for every server-side
| fetch of a user-supplied URL. Internal addresses are refused; `allowlist` holds the
| only exceptions (`host:port`, empty by default in every environment). Live settings:
| tests add their fixture server's `127.0.0.1:<port>` and remove it afterwards.
*/
export const outboundHttpSettings = {
  allowlist: (env.get('OUTBOUND_HTTP_ALLOWLIST') ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean),
  /** redirects followed per request; each hop is checked again */
  maxRedirects: 5,
  /** response bodies larger than this (after decompression) are refused */
  maxBytes: 20 * 1024 * 1024,
  /** whole request, redirects and body included */
  timeoutMs: 30_000,
}
