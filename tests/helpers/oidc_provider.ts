import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'
// @ts-expect-error oidc-provider ships no type declarations
import Provider from 'oidc-provider'
import { browserRequest, isApiUrl } from '#tests/helpers/api_client'
import { oauthSettings, type OAuthProviderName } from '#config/ally'

/**
 * A real OpenID provider (npm `oidc-provider`) on a random loopback port, for
 * end-to-end sign-in tests. It plays Google or Microsoft: PKCE is required,
 * scope claims go into the ID token (like Google/Entra), `hd` / `tid` are
 * released with `openid`. Login and consent are completed by the test through
 * minimal interaction routes that call `provider.interactionFinished`.
 */

export interface TestAccount {
  email?: string
  email_verified?: boolean
  name?: string
  hd?: string
  tid?: string
}

export interface IdTokenTamper {
  /** Changes the decoded claims before re-signing. */
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>
  /** `provider` re-signs with the provider's own key; `foreign` with a key not in its JWKS. */
  key?: 'provider' | 'foreign'
  /** Classic forgeries: an unsigned token, or HS256 keyed with the provider's public key. */
  alg?: 'none' | 'HS256'
}

function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject) {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode(header)}.${encode(claims)}`
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
}

/** oidc-provider storage for one test run (its built-in one warns on every start). */
class MemoryAdapter {
  static store = new Map<string, { payload: Record<string, any>; expiresAt: number }>()
  constructor(private model: string) {}
  #key(id: string) {
    return `${this.model}:${id}`
  }
  async upsert(id: string, payload: Record<string, any>, expiresIn: number) {
    MemoryAdapter.store.set(this.#key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 })
    if (payload.userCode)
      MemoryAdapter.store.set(`userCode:${payload.userCode}`, {
        payload,
        expiresAt: Date.now() + expiresIn * 1000,
      })
    if (payload.uid)
      MemoryAdapter.store.set(`uid:${payload.uid}`, {
        payload,
        expiresAt: Date.now() + expiresIn * 1000,
      })
  }
  async find(id: string) {
    const entry = MemoryAdapter.store.get(this.#key(id))
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined
  }
  async findByUid(uid: string) {
    const entry = MemoryAdapter.store.get(`uid:${uid}`)
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined
  }
  async findByUserCode(userCode: string) {
    return MemoryAdapter.store.get(`userCode:${userCode}`)?.payload
  }
  async consume(id: string) {
    const entry = MemoryAdapter.store.get(this.#key(id))
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000)
  }
  async destroy(id: string) {
    MemoryAdapter.store.delete(this.#key(id))
  }
  async revokeByGrantId(grantId: string) {
    for (const [key, entry] of MemoryAdapter.store) {
      if (entry.payload.grantId === grantId) MemoryAdapter.store.delete(key)
    }
  }
}

async function readForm(req: IncomingMessage) {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

export async function startOidcProvider(options: {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  /** Path after the origin in the issuer (Entra: `/<tenant id>/v2.0`). */
  issuerPath?: string
}) {
  const accounts = new Map<string, TestAccount>()
  const providerKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = `test-${randomUUID().slice(0, 8)}`
  let tamper: IdTokenTamper | null = null

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
  const server = createServer((req, res) => handler(req, res))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const origin = `http://127.0.0.1:${port}`
  const issuer = `${origin}${options.issuerPath ?? ''}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: {
      keys: [
        { ...providerKey.privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
      ],
    },
    cookies: { keys: [randomUUID()] },
    claims: {
      openid: ['sub', 'hd', 'tid'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    conformIdTokenClaims: false,
    adapter: MemoryAdapter,
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id)
      if (!account) return undefined
      return { accountId: id, claims: async () => ({ ...account, sub: id }) }
    },
  })
  /* Tests may rewrite the ID token the token endpoint returns (then re-sign it). */
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    await next()
    if (tamper && ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
      const [header, payload] = (ctx.body.id_token as string)
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')))
      const claims = tamper.claims ? tamper.claims(payload) : payload
      const key = tamper.key === 'foreign' ? foreignKey.privateKey : providerKey.privateKey
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
      let idToken: string
      if (tamper.alg === 'none') {
        idToken = `${encode({ ...header, alg: 'none' })}.${encode(claims)}.`
      } else if (tamper.alg === 'HS256') {
        const input = `${encode({ ...header, alg: 'HS256' })}.${encode(claims)}`
        const secret = providerKey.publicKey.export({ format: 'pem', type: 'spki' })
        idToken = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
      } else {
        idToken = signJwt(header, claims, key)
      }
      ctx.body = { ...ctx.body, id_token: idToken }
    }
  })
  const callback = provider.callback()

  handler = (req, res) => {
    const match = req.url?.match(/^\/interaction\/([\w-]+)(\/(login|confirm))?$/)
    if (!match) return callback(req, res)
    const action = match[3]
    const run = async () => {
      const details = await provider.interactionDetails(req, res)
      if (!action) {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name }))
        return
      }
      if (action === 'login') {
        const form = await readForm(req)
        const accountId = form.get('login') ?? ''
        if (!accounts.has(accountId)) {
          res.statusCode = 400
          res.end('unknown account')
          return
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId } },
          { mergeWithLastSubmission: false }
        )
        return
      }
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({
            accountId: details.session.accountId,
            clientId: details.params.client_id,
          })
      const missing = details.prompt.details
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
      const grantId = await grant.save()
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true }
      )
    }
    run().catch((error) => {
      res.statusCode = 500
      res.end(String(error))
    })
  }

  return {
    issuer,
    origin,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    endpoints: {
      authorizeUrl: `${origin}/auth`,
      accessTokenUrl: `${origin}/token`,
      userInfoUrl: `${origin}/me`,
      jwksUrl: `${origin}/jwks`,
    },
    /** Registers an account (id = the `sub`) that can log in at the provider. */
    addAccount(sub: string, account: TestAccount) {
      accounts.set(sub, account)
      return sub
    },
    tamperIdTokens(next: IdTokenTamper | null) {
      tamper = next
    },
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

export type LocalOpenIdProvider = Awaited<ReturnType<typeof startOidcProvider>>

/**
 * A minimal browser: a cookie jar per origin and manual redirects, so a test
 * walks the real flow (our redirect → provider login + consent → our callback).
 */
export class TestBrowser {
  #cookies = new Map<string, Map<string, string>>()

  async request(url: string, init: RequestInit = {}) {
    const target = new URL(url)
    const jar = this.#cookies.get(target.origin) ?? new Map<string, string>()
    const headers = new Headers(init.headers)
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    // Calls to the API go through the generated client (answers checked against the document).
    const response = isApiUrl(target)
      ? await browserRequest(target, { ...init, headers })
      : await fetch(target, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const expired = attributes.some((attribute) => {
        const [key, val] = attribute.trim().split('=')
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0
        if (key.toLowerCase() === 'expires') return new Date(val).getTime() <= Date.now()
        return false
      })
      if (expired || value === '') jar.delete(name)
      else jar.set(name, value)
    }
    this.#cookies.set(target.origin, jar)
    return response
  }

  /** The absolute redirect target of a 3xx response. */
  static location(response: Response, base: string) {
    const location = response.headers.get('location')
    if (!location) throw new Error(`expected a redirect, got ${response.status}`)
    return new URL(location, base).href
  }

  /**
   * From the provider's authorization URL, logs in as `accountId`, consents, and
   * returns the URL the provider sends the browser back to (our callback), unvisited.
   */
  async signInAtProvider(authorizeUrl: string, accountId: string, callbackPrefix: string) {
    let url = authorizeUrl
    for (let step = 0; step < 12; step++) {
      if (url.startsWith(callbackPrefix)) return url
      const response = await this.request(url)
      if (response.status >= 300 && response.status < 400) {
        url = TestBrowser.location(response, url)
        continue
      }
      if (response.status !== 200 || !url.includes('/interaction/')) {
        throw new Error(`provider answered ${response.status} at ${url}: ${await response.text()}`)
      }
      const { prompt } = (await response.json()) as { prompt: string }
      const submitted = await this.request(`${url}/${prompt === 'login' ? 'login' : 'confirm'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: accountId }).toString(),
      })
      url = TestBrowser.location(submitted, url)
    }
    throw new Error('the provider flow did not come back to the callback')
  }
}

/**
 * Points the server's sign-in settings for `name` at a test provider. Microsoft is configured
 * as a multi-tenant app (`common`): the issuer is a template the `tid` claim fills in.
 */
export function signInThrough(name: OAuthProviderName, provider: LocalOpenIdProvider) {
  const common = {
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    ...provider.endpoints,
  }
  if (name === 'google') Object.assign(oauthSettings.google, { ...common, issuer: provider.issuer })
  else {
    Object.assign(oauthSettings.microsoft, {
      ...common,
      tenant: 'common',
      issuer: `${provider.origin}/{tenantid}/v2.0`,
    })
  }
}
