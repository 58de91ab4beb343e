import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'

/**
 * The internal listener: a second HTTPS server that only completes the TLS
 * handshake for clients presenting a certificate signed by the platform's internal
 * CA (`requestCert` + `rejectUnauthorized`: another CA, an expired certificate or
 * no certificate never reaches HTTP). The service identity is the certificate's URI
 * SAN (`spiffe://pathways/<service>`), mapped to the routes that service may call;
 * allowed requests go to the same Adonis request handler as the public port, with
 * `X-Internal-Service` set (and any incoming copy of that header dropped).
 */
export type RouteRule = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} ${string}`

/** Service identity -> allowed `METHOD /path` rules (a trailing `*` matches a prefix). */
export const INTERNAL_SERVICE_ROUTES: Record<string, RouteRule[]> = {
  'spiffe://pathways/analytics': ['GET /health/ready', 'GET /v1'],
  'spiffe://pathways/worker': ['GET /health/ready'],
}

export const INTERNAL_SERVICE_HEADER = 'x-internal-service'

/* Identities verified by the TLS layer, per request object (a header alone could be forged on the public port). */
const verified = new WeakMap<IncomingMessage, string>()

/** The mTLS-verified service identity of a request, or null (public port, or no identity). */
export function internalIdentity(req: IncomingMessage): string | null {
  return verified.get(req) ?? null
}

export interface InternalListenerOptions {
  host?: string
  port: number
  caPath: string
  certPath: string
  keyPath: string
  routes?: Record<string, RouteRule[]>
  handler: (req: IncomingMessage, res: ServerResponse) => void
}

/** URI SANs of a peer certificate (`subjectaltname` is `URI:a, DNS:b, ...`). */
export function uriSans(subjectAltName: string | undefined): string[] {
  return (subjectAltName ?? '')
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice(4))
}

export function isAllowed(rules: RouteRule[], method: string, url: string) {
  const path = new URL(url, 'https://internal').pathname.replace(/\/+$/, '') || '/'
  return rules.some((rule) => {
    const [ruleMethod, rulePath] = rule.split(' ')
    if (ruleMethod !== method.toUpperCase()) return false
    return rulePath.endsWith('*') ? path.startsWith(rulePath.slice(0, -1)) : path === rulePath
  })
}

function problem(res: ServerResponse, status: number, title: string, detail: string) {
  res.writeHead(status, { 'content-type': 'application/problem+json' })
  res.end(
    JSON.stringify({
      type: `https://pathways.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
      title,
      status,
      detail,
    })
  )
}

export function createInternalServer(options: InternalListenerOptions) {
  const routes = options.routes ?? INTERNAL_SERVICE_ROUTES
  return https.createServer(
    {
      ca: readFileSync(options.caPath),
      cert: readFileSync(options.certPath),
      key: readFileSync(options.keyPath),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      const socket = req.socket as TLSSocket
      const peer = socket.getPeerCertificate()
      const identity = uriSans(peer?.subjectaltname).find((uri) => routes[uri])
      delete req.headers[INTERNAL_SERVICE_HEADER]
      if (!identity) {
        return problem(res, 403, 'Forbidden', 'The client certificate names no known service.')
      }
      if (!isAllowed(routes[identity], req.method ?? 'GET', req.url ?? '/')) {
        return problem(res, 403, 'Forbidden', `${identity} may not call this route.`)
      }
      req.headers[INTERNAL_SERVICE_HEADER] = identity
      verified.set(req, identity)
      options.handler(req, res)
    }
  )
}

export async function startInternalServer(options: InternalListenerOptions) {
  const server = createInternalServer(options)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve())
  })
  return server
}
