import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto'

/**
 * OpenID Connect ID-token verification with node:crypto: signature against the
 * provider's JWKS (fetched and cached, refetched once for an unknown key id),
 * then issuer, audience (+ azp), expiry, not-before, issued-at and nonce.
 */

export class IdTokenError extends Error {
  constructor(public reason: string) {
    super(`ID token refused: ${reason}`)
  }
}

export interface IdTokenClaims {
  iss: string
  sub: string
  aud: string | string[]
  exp: number
  iat: number
  nbf?: number
  nonce?: string
  azp?: string
  email?: string
  email_verified?: boolean | string
  name?: string
  hd?: string
  tid?: string
  [claim: string]: unknown
}

export interface VerifyOptions {
  jwksUrl: string
  /** The exact issuer, or a template with `{tenantid}` replaced by the token's `tid` (Entra ID). */
  issuer: string
  clientId: string
  nonce: string
  /** Seconds of clock skew tolerated for exp/nbf/iat (default 60). */
  clockTolerance?: number
  now?: number
}

const ALGORITHMS: Record<string, { hash: string; kty: string; pss?: boolean; ec?: boolean }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', ec: true },
}

const JWKS_TTL_MS = 10 * 60 * 1000
const JWKS_MIN_REFETCH_MS = 30 * 1000

interface CachedJwks {
  keys: (JsonWebKey & { kid?: string; kty: string; use?: string; alg?: string })[]
  fetchedAt: number
}
const jwksCache = new Map<string, CachedJwks>()

async function fetchJwks(url: string): Promise<CachedJwks> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(5000),
  })
  if (!response.ok) throw new IdTokenError('jwks_unavailable')
  const body = (await response.json()) as { keys?: CachedJwks['keys'] }
  if (!Array.isArray(body.keys)) throw new IdTokenError('jwks_invalid')
  const entry = { keys: body.keys, fetchedAt: Date.now() }
  jwksCache.set(url, entry)
  return entry
}

async function findKey(url: string, kid: string | undefined, kty: string): Promise<KeyObject> {
  const pick = (jwks: CachedJwks) =>
    jwks.keys.filter(
      (key) => key.kty === kty && (!key.use || key.use === 'sig') && (!kid || key.kid === kid)
    )
  let cached = jwksCache.get(url)
  if (!cached || Date.now() - cached.fetchedAt > JWKS_TTL_MS) cached = await fetchJwks(url)
  let candidates = pick(cached)
  if (candidates.length === 0 && Date.now() - cached.fetchedAt > JWKS_MIN_REFETCH_MS) {
    candidates = pick(await fetchJwks(url)) // key rotation
  }
  if (candidates.length !== 1) throw new IdTokenError('unknown_signing_key')
  const { kty: keyType, n, e, crv, x, y } = candidates[0]
  return createPublicKey({ key: { kty: keyType, n, e, crv, x, y }, format: 'jwk' })
}

function decodeSegment(segment: string) {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    throw new IdTokenError('malformed')
  }
}

export async function verifyIdToken(token: string, options: VerifyOptions): Promise<IdTokenClaims> {
  if (typeof token !== 'string') throw new IdTokenError('missing')
  const parts = token.split('.')
  if (parts.length !== 3) throw new IdTokenError('malformed')
  const header = decodeSegment(parts[0])
  const algorithm = ALGORITHMS[String(header.alg)]
  if (!algorithm) throw new IdTokenError('unsupported_algorithm')
  if (header.crit !== undefined) throw new IdTokenError('unsupported_header')

  const key = await findKey(
    options.jwksUrl,
    typeof header.kid === 'string' ? header.kid : undefined,
    algorithm.kty
  )
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`)
  const signature = Buffer.from(parts[2], 'base64url')
  const valid = verify(
    algorithm.hash,
    signed,
    algorithm.ec
      ? { key, dsaEncoding: 'ieee-p1363' }
      : algorithm.pss
        ? { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
        : key,
    signature
  )
  if (!valid) throw new IdTokenError('bad_signature')

  const claims = decodeSegment(parts[1]) as unknown as IdTokenClaims
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const skew = options.clockTolerance ?? 60

  if (typeof claims.sub !== 'string' || claims.sub.length === 0)
    throw new IdTokenError('no_subject')
  const expectedIssuer = options.issuer.includes('{tenantid}')
    ? typeof claims.tid === 'string' && /^[0-9a-f-]{36}$/i.test(claims.tid)
      ? options.issuer.replace('{tenantid}', claims.tid)
      : undefined
    : options.issuer
  if (!expectedIssuer || claims.iss !== expectedIssuer) throw new IdTokenError('wrong_issuer')

  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (!audiences.includes(options.clientId)) throw new IdTokenError('wrong_audience')
  if (audiences.length > 1 && claims.azp !== options.clientId) throw new IdTokenError('wrong_azp')
  if (claims.azp !== undefined && claims.azp !== options.clientId)
    throw new IdTokenError('wrong_azp')

  if (typeof claims.exp !== 'number' || claims.exp + skew <= now) throw new IdTokenError('expired')
  if (typeof claims.iat !== 'number' || claims.iat - skew > now)
    throw new IdTokenError('issued_in_future')
  if (typeof claims.nbf === 'number' && claims.nbf - skew > now)
    throw new IdTokenError('not_yet_valid')
  if (!options.nonce || claims.nonce !== options.nonce) throw new IdTokenError('wrong_nonce')

  return claims
}

/** `email_verified` is a boolean for Google and oidc-provider; some IdPs send "true". */
export function emailVerified(claims: Record<string, unknown>) {
  return (
    claims.email_verified === true ||
    claims.email_verified === 'true' ||
    claims.xms_edov === true ||
    claims.xms_edov === 'true'
  )
}
