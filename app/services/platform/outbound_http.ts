import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { lookup as dnsLookup } from 'node:dns/promises'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { Readable } from 'node:stream'
import { outboundHttpSettings } from '#config/outbound_http'

/*
| The one client for server-side fetches of user-supplied URLs (job boards, feeds, their
| pagination links and redirects). SSRF rules:
| - http/https only, no credentials in the URL;
| - the host is resolved here and EVERY resolved address must be public (loopback, private,
|   link-local, CGNAT, multicast, unspecified, documentation, metadata and IPv6 tunnels
|   embedding IPv4 are refused; IPv4-mapped IPv6 is checked as IPv4);
| - the socket connects to the address that was checked (pinned lookup: no DNS-rebinding window);
| - redirects are followed by hand, each hop checked again, at most `maxRedirects`;
| - one deadline for the whole request and a size limit on the (decompressed) body.
| `host:port` entries of the allowlist skip the address check (local fixture servers in tests).
| Errors carry a coarse kind only: callers must not echo remote bodies, addresses or ports.
*/

export type OutboundErrorKind =
  'invalid_url' | 'refused_address' | 'unreachable' | 'timeout' | 'too_large' | 'too_many_redirects'

export class OutboundRequestError extends Error {
  constructor(
    readonly kind: OutboundErrorKind,
    options?: { cause?: unknown }
  ) {
    super(`outbound request failed: ${kind.replaceAll('_', ' ')}`, options)
  }
}

// two lists: a BlockList also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d)
const refusedV4 = new BlockList()
const refusedV6 = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT (Alibaba metadata 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments (Oracle metadata 192.0.0.192)
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  refusedV4.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped in a spelling not unwrapped below: fail closed
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const) {
  refusedV6.addSubnet(network, prefix, 'ipv6')
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d` / `::ffff:7f00:1`). */
function unmapIPv4(address: string) {
  const lower = address.toLowerCase()
  const dotted = lower.match(/^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) return dotted[1]
  const hex = lower.match(/^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/)
  if (hex) {
    const high = Number.parseInt(hex[1], 16)
    const low = Number.parseInt(hex[2], 16)
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`
  }
  return null
}

/** True for any address a server-side fetch must not reach. Non-IP input is refused too. */
export function isRefusedAddress(address: string) {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 4) return refusedV4.check(bare, 'ipv4')
  if (family === 6) {
    const mapped = unmapIPv4(bare)
    if (mapped) return refusedV4.check(mapped, 'ipv4')
    return refusedV6.check(bare, 'ipv6')
  }
  return true
}

function defaultPort(url: URL) {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

function allowlisted(url: URL) {
  const entry = `${url.hostname.toLowerCase()}:${defaultPort(url)}`
  return outboundHttpSettings.allowlist.includes(entry)
}

/** Parses and checks what can be checked without DNS: scheme, credentials, literal addresses. */
export function parseOutboundUrl(raw: string | URL): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new OutboundRequestError('invalid_url')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRequestError('invalid_url')
  }
  if (url.username || url.password) throw new OutboundRequestError('invalid_url')
  if (allowlisted(url)) return url
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const name = host.toLowerCase().replace(/\.$/, '')
  if (isIP(host) ? isRefusedAddress(host) : name === 'localhost' || name.endsWith('.localhost')) {
    throw new OutboundRequestError('refused_address')
  }
  return url
}

/**
 * Why a URL given at create/update would be refused without any lookup (a literal
 * internal address, `localhost`), or null. Hostnames are checked again at fetch time.
 */
export function literalUrlProblem(raw: string): string | null {
  try {
    parseOutboundUrl(raw)
    return null
  } catch (error) {
    if (error instanceof OutboundRequestError && error.kind === 'refused_address') {
      return 'The URL points at an internal address.'
    }
    return 'The URL must be an http or https URL without credentials.'
  }
}

/** Resolves the host and returns the address to connect to; refuses internal addresses. */
async function resolvePinned(url: URL): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const literal = isIP(host)
  let addresses: { address: string; family: number }[]
  if (literal) {
    addresses = [{ address: host, family: literal }]
  } else {
    try {
      addresses = await dnsLookup(host, { all: true, verbatim: true })
    } catch (error) {
      throw new OutboundRequestError('unreachable', { cause: error })
    }
  }
  if (addresses.length === 0) throw new OutboundRequestError('unreachable')
  // every answer must be public: a mixed answer is how rebinding attacks start
  if (!allowlisted(url) && addresses.some((entry) => isRefusedAddress(entry.address))) {
    throw new OutboundRequestError('refused_address')
  }
  const [first] = addresses
  return { address: first.address, family: first.family === 6 ? 6 : 4 }
}

function pinnedLookup(pinned: { address: string; family: 4 | 6 }): LookupFunction {
  return (_hostname, options, callback) => {
    if (options?.all) {
      ;(callback as any)(null, [{ address: pinned.address, family: pinned.family }])
    } else {
      ;(callback as any)(null, pinned.address, pinned.family)
    }
  }
}

export interface OutboundOptions {
  headers?: Record<string, string>
  /** cancels the request (activity cancellation); its reason is rethrown as is */
  signal?: AbortSignal
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
}

export interface OutboundResponse {
  status: number
  headers: Headers
  /** final URL after redirects */
  url: string
  /** the body of a 2xx answer; other answers are not read (empty buffer) */
  body: Buffer
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

function toHeaders(message: IncomingMessage) {
  const headers = new Headers()
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

function request(
  url: URL,
  pinned: { address: string; family: 4 | 6 },
  options: OutboundOptions,
  signal: AbortSignal
) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http
    const req = transport.request(url, {
      method: 'GET',
      headers: { 'accept-encoding': 'gzip, deflate, br', ...options.headers },
      lookup: pinnedLookup(pinned),
      // a fresh connection per request: a pooled socket could belong to another address
      agent: false,
      signal,
    })
    req.once('response', resolve)
    req.once('error', reject)
    req.end()
  })
}

async function readBody(response: IncomingMessage, maxBytes: number) {
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy()
    throw new OutboundRequestError('too_large')
  }
  const encoding = String(response.headers['content-encoding'] ?? '')
    .toLowerCase()
    .trim()
  let stream: Readable = response
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(createGunzip())
  else if (encoding === 'deflate') stream = response.pipe(createInflate())
  else if (encoding === 'br') stream = response.pipe(createBrotliDecompress())
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      size += chunk.length
      if (size > maxBytes) throw new OutboundRequestError('too_large')
      chunks.push(chunk)
    }
  } finally {
    response.destroy()
    if (stream !== response) stream.destroy()
  }
  return Buffer.concat(chunks)
}

/** GET with the SSRF rules above. Resolves for any HTTP status; rejects with OutboundRequestError. */
export async function outboundGet(
  raw: string | URL,
  options: OutboundOptions = {}
): Promise<OutboundResponse> {
  const settings = outboundHttpSettings
  const maxRedirects = options.maxRedirects ?? settings.maxRedirects
  const maxBytes = options.maxBytes ?? settings.maxBytes
  const deadline = AbortSignal.timeout(options.timeoutMs ?? settings.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline
  const fail = (error: unknown): never => {
    if (options.signal?.aborted) throw options.signal.reason
    if (error instanceof OutboundRequestError) throw error
    if (deadline.aborted) throw new OutboundRequestError('timeout', { cause: error })
    throw new OutboundRequestError('unreachable', { cause: error })
  }

  let url = parseOutboundUrl(raw)
  for (let hop = 0; ; hop++) {
    let response: IncomingMessage
    try {
      const pinned = await resolvePinned(url)
      signal.throwIfAborted()
      response = await request(url, pinned, options, signal)
    } catch (error) {
      return fail(error)
    }
    const status = response.statusCode ?? 0
    const location = response.headers.location
    if (REDIRECTS.has(status) && location) {
      response.destroy()
      if (hop >= maxRedirects) throw new OutboundRequestError('too_many_redirects')
      try {
        url = parseOutboundUrl(new URL(location, url))
      } catch (error) {
        return fail(error)
      }
      continue
    }
    if (status < 200 || status > 299) {
      response.destroy()
      return { status, headers: toHeaders(response), url: url.href, body: Buffer.alloc(0) }
    }
    try {
      const body = await readBody(response, maxBytes)
      return { status, headers: toHeaders(response), url: url.href, body }
    } catch (error) {
      return fail(error)
    }
  }
}
