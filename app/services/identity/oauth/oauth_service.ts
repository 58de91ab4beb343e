import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import User from '#models/identity/user'
import { oauthProviderEnabled, oauthSettings, type OAuthProviderName } from '#config/ally'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit, type DeviceProof, type RequestMeta } from '#services/platform/audit_service'
import { joinSchoolsAllowingDomain } from '#services/identity/account_service'
import { firstFactorVerified } from '#services/identity/sign_in'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { reclaimUnprovenAccount } from '#services/identity/account_status_service'
import { IdTokenError } from '#services/identity/oauth/id_token'
import { withTenant } from '#services/platform/tenant_context'
import type { OidcDriver, OidcUser } from '#auth/oidc_driver'

/** What the redirect remembers for the callback (encrypted, http-only, 10 minutes). */
export interface SignInIntent {
  provider: OAuthProviderName
  schoolId: string | null
  returnTo: string | null
  /** The app's own PKCE challenge (S256) for the code exchange. */
  codeChallenge: string
}

export const INTENT_COOKIE = 'pw_oauth_intent'

/**
 * Why a sign-in was refused. `reason` is recorded in the audit log; apps only see
 * `error`, a coarse code (protocol failures are not worth distinguishing to a user).
 */
class SignInRefused extends Error {
  constructor(
    public reason: string,
    public error:
      | 'access_denied'
      | 'oauth_failed'
      | 'email_not_verified'
      | 'school_not_allowed'
      | 'account_unavailable',
    public status: 400 | 403
  ) {
    super(reason)
  }
}

/** returnTo without query/fragment, so allowlist entries compare exactly. */
function baseOf(url: URL) {
  const copy = new URL(url.href)
  copy.search = ''
  copy.hash = ''
  return copy.href
}

/** An allowlisted return URL, or null when none was asked for. Refuses anything else. */
export function allowedReturnTo(returnTo: string | undefined) {
  if (!returnTo) return oauthSettings.returnToAllowlist[0] ?? null
  let url: URL
  try {
    url = new URL(returnTo)
  } catch {
    url = new URL('invalid:')
  }
  const allowed =
    !url.username &&
    !url.password &&
    oauthSettings.returnToAllowlist.some((entry) => {
      try {
        return baseOf(new URL(entry)) === baseOf(url)
      } catch {
        return false
      }
    })
  if (!allowed) {
    throw new ProblemException(422, 'validation-error', 'Unprocessable Content', 'Invalid input.', [
      { field: 'returnTo', message: 'returnTo is not an allowed return URL', rule: 'allowlist' },
    ])
  }
  return url.href
}

export function assertEnabled(provider: OAuthProviderName) {
  if (!oauthProviderEnabled(provider)) {
    throw ProblemException.notFound('This sign-in provider is not available.')
  }
}

/** Step 1: what the callback must remember (the controller keeps it in a cookie and redirects). */
export function signInIntent(
  provider: OAuthProviderName,
  input: { schoolId?: string; returnTo?: string; codeChallenge: string }
): SignInIntent {
  assertEnabled(provider)
  return {
    provider,
    schoolId: input.schoolId ?? null,
    returnTo: allowedReturnTo(input.returnTo),
    codeChallenge: input.codeChallenge,
  }
}

/* ---------- one-time exchange codes: Redis, keyed by hash, payload sealed with the code ---------- */

const codeKey = (hash: Buffer) => `oauth:exchange:${hash.toString('hex')}`
const sealKey = (code: string) =>
  Buffer.from(hkdfSync('sha256', code, 'pathways-oauth-exchange', 'v1', 32))

async function issueExchangeCode(payload: { result: unknown; codeChallenge: string }) {
  const code = newOpaqueToken('pwx_')
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', sealKey(code.value), iv)
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()])
  const stored = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url'))
  await redis.set(codeKey(code.hash), stored.join('.'), 'EX', oauthSettings.exchangeCodeTtlSeconds)
  return code.value
}

/**
 * Step 3 (the app): a code works once, within its lifetime, and only with the
 * `codeVerifier` of the challenge the redirect carried (apps are public clients:
 * PKCE is their proof), so a code injected into another app instance is useless.
 */
export async function exchangeCode(meta: RequestMeta, code: string, codeVerifier: string) {
  const invalid = async (reason: string) => {
    await recordAudit(meta, {
      action: 'auth.oauth.exchange',
      outcome: 'failure',
      changes: { reason },
    })
    return new ProblemException(
      400,
      'invalid-code',
      'Invalid Code',
      'The code is invalid, used or expired.'
    )
  }
  const stored = await redis.getdel(codeKey(hashToken(code)))
  if (!stored) throw await invalid('unknown_or_used')
  const [iv, tag, sealed] = stored.split('.').map((part) => Buffer.from(part, 'base64url'))
  const decipher = createDecipheriv('aes-256-gcm', sealKey(code), iv)
  decipher.setAuthTag(tag)
  const plain = Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8')
  const payload = JSON.parse(plain) as {
    result: Record<string, unknown>
    codeChallenge: string | null
  }
  // codes issued before PKCE was required carry no challenge: refused like a mismatch
  const expected = Buffer.from(String(payload.codeChallenge ?? ''))
  const computed = Buffer.from(createHash('sha256').update(codeVerifier).digest('base64url'))
  if (expected.length !== computed.length || !timingSafeEqual(expected, computed)) {
    throw await invalid(payload.codeChallenge ? 'code_verifier_mismatch' : 'pkce_missing')
  }
  return payload.result
}

/* ---------- step 2: the callback ---------- */

/** Refuses when the provider identity breaks one school's Google `hd` / Microsoft `tid` rule. */
function checkSchoolRule(
  school: { sso_google_hosted_domains: string[] | null; sso_microsoft_tenant_ids: string[] | null },
  provider: OAuthProviderName,
  user: OidcUser
) {
  const claims = user.original
  if (provider === 'google') {
    const domains: string[] = (school.sso_google_hosted_domains ?? []).map((d: string) =>
      d.toLowerCase()
    )
    const hd = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined
    if (domains.length && (!hd || !domains.includes(hd))) {
      throw new SignInRefused('hosted_domain_not_allowed', 'school_not_allowed', 403)
    }
  } else {
    const tenants: string[] = (school.sso_microsoft_tenant_ids ?? []).map((t: string) =>
      t.toLowerCase()
    )
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined
    if (tenants.length && (!tid || !tenants.includes(tid))) {
      throw new SignInRefused('tenant_not_allowed', 'school_not_allowed', 403)
    }
  }
}

/** The account already linked to this provider subject (read once per callback). */
interface LinkedIdentity {
  id: string
  user: User | null
}

async function linkedIdentity(
  provider: OAuthProviderName,
  subject: string
): Promise<LinkedIdentity | null> {
  const row = await db
    .from('oauth_identities')
    .where({ provider, subject })
    .select('id', 'user_id')
    .first()
  return row ? { id: row.id, user: await User.find(row.user_id) } : null
}

/**
 * A school's provider rules apply to every school this sign-in would use or join, not
 * only the `schoolId` the app named: the school asked for, the schools the account
 * (already linked, or matched by verified e-mail) belongs to, and the schools a newly
 * verified address would join by domain. Otherwise a personal Google account carrying a
 * school address would get into a school that requires its Workspace domain.
 */
async function enforceSchools(
  intent: SignInIntent | null,
  provider: OAuthProviderName,
  user: OidcUser,
  linked: LinkedIdentity | null
) {
  if (intent?.schoolId) {
    const school = await db
      .from('schools')
      .where('id', intent.schoolId)
      .select('status', 'sso_google_hosted_domains', 'sso_microsoft_tenant_ids')
      .first()
    /* An unknown school answers like a refused one: the callback does not reveal schools. */
    if (!school || school.status !== 'active') {
      throw new SignInRefused('school_unavailable', 'school_not_allowed', 403)
    }
    checkSchoolRule(school, provider, user)
  }

  const verifiedEmail = user.email && user.emailVerificationState === 'verified' ? user.email : null
  const account = linked
    ? linked.user && { id: linked.user.id, email_verified_at: linked.user.emailVerifiedAt }
    : verifiedEmail
      ? await db
          .from('users')
          .where('email', verifiedEmail)
          .select('id', 'email_verified_at')
          .first()
      : null
  const joinsByDomain = !linked && verifiedEmail && (!account || !account.email_verified_at)
  if (!account && !joinsByDomain) return

  const schools = await withTenant({ platformScope: true }, (trx) =>
    trx
      .from('schools as s')
      .where('s.status', 'active')
      .where((scope) => {
        if (account) {
          scope.orWhereExists((member) =>
            member
              .from('memberships as m')
              .whereRaw('m.school_id = s.id')
              .where('m.user_id', account.id)
              .whereIn('m.status', ['active', 'suspended'])
          )
        }
        if (joinsByDomain) {
          scope.orWhereRaw('? = any(s.allowed_email_domains)', [verifiedEmail!.split('@')[1]])
        }
      })
      .select('s.sso_google_hosted_domains', 's.sso_microsoft_tenant_ids')
  )
  for (const school of schools) checkSchoolRule(school, provider, user)
}

/**
 * Accounts made or taken over by a provider get a random password nobody knows
 * (hashed by the model like any other) rather than NULL: password sign-in then
 * answers the usual 401, and "forgot password" can set a real one.
 */
function unusablePassword() {
  return randomBytes(32).toString('base64url')
}

/**
 * Finds the account of a verified provider identity: an already linked one;
 * else an account with the same e-mail, linked only when the provider asserts
 * the address is verified; else a new, verified account.
 */
async function resolveAccount(
  provider: OAuthProviderName,
  profile: OidcUser,
  linked: LinkedIdentity | null
) {
  const subject = profile.id
  const tenant =
    provider === 'microsoft'
      ? ((profile.original.tid as string | undefined) ?? null)
      : ((profile.original.hd as string | undefined) ?? null)

  if (linked) {
    const user = linked.user
    if (!user || user.status !== 'active') {
      throw new SignInRefused('account_disabled', 'account_unavailable', 403)
    }
    await db
      .from('oauth_identities')
      .where('id', linked.id)
      .update({ last_login_at: DateTime.now().toSQL(), email: profile.email, tenant })
    return { user, event: 'auth.oauth.login', newlyVerified: false, reclaimed: false }
  }

  if (!profile.email || profile.emailVerificationState !== 'verified') {
    /* Refused for new and existing addresses alike: no account is revealed or created. */
    throw new SignInRefused('email_not_verified', 'email_not_verified', 403)
  }

  return db.transaction(async (trx) => {
    let user = await User.query({ client: trx }).where('email', profile.email!).forUpdate().first()
    let event = 'auth.oauth.linked'
    let newlyVerified = false
    let reclaimed = false
    if (user) {
      if (user.status !== 'active') {
        throw new SignInRefused('account_disabled', 'account_unavailable', 403)
      }
      if (!user.emailVerifiedAt) {
        /*
         * The address was registered but never confirmed: whoever set that password did
         * not prove they own the mailbox, the provider just did. Drop the password so a
         * pre-registered account cannot be taken over.
         */
        user.emailVerifiedAt = DateTime.now()
        user.password = unusablePassword()
        newlyVerified = true
        reclaimed = true
        await user.useTransaction(trx).save()
      }
    } else {
      event = 'auth.oauth.account_created'
      newlyVerified = true
      user = await User.create(
        {
          email: profile.email!,
          fullName: profile.name ? profile.name.slice(0, 200) : null,
          password: unusablePassword(),
          emailVerifiedAt: DateTime.now(),
        },
        { client: trx }
      )
    }
    const inserted = await trx
      .table('oauth_identities')
      .insert({ provider, subject, user_id: user.id, email: profile.email, tenant })
      .onConflict(['provider', 'subject'])
      .ignore()
      .returning('user_id')
    if (inserted.length === 0) {
      /* A concurrent callback linked the same subject first. */
      throw new SignInRefused('concurrent_link', 'oauth_failed', 400)
    }
    return { user, event, newlyVerified, reclaimed }
  })
}

/** Where to send the browser, or the JSON answer when the app gave no return URL. */
export type CallbackOutcome = { redirectTo: string } | { code: string; expiresIn: number }

async function refuse(
  meta: RequestMeta,
  provider: OAuthProviderName,
  intent: SignInIntent | null,
  refusal: SignInRefused
) {
  await recordAudit(meta, {
    action: 'auth.oauth.refused',
    outcome: 'denied',
    schoolId: null,
    changes: { provider, reason: refusal.reason, schoolId: intent?.schoolId ?? null },
  })
  if (intent?.returnTo) {
    const url = new URL(intent.returnTo)
    url.searchParams.set('error', refusal.error)
    return { redirectTo: url.href }
  }
  throw new ProblemException(
    refusal.status,
    refusal.status === 403 ? 'oauth-refused' : 'oauth-failed',
    refusal.status === 403 ? 'Forbidden' : 'Bad Request',
    {
      access_denied: 'The sign-in was cancelled at the provider.',
      oauth_failed: 'The sign-in could not be completed. Start again.',
      email_not_verified: 'The provider did not confirm this e-mail address.',
      school_not_allowed: 'This account cannot sign in to this school.',
      account_unavailable: 'This account cannot sign in.',
    }[refusal.error]
  )
}

/**
 * Step 2, the provider's callback: `stored` is the intent the redirect remembered,
 * `driver` the provider's Ally driver for this request.
 */
export async function finishSignIn(
  meta: RequestMeta,
  proof: DeviceProof,
  provider: OAuthProviderName,
  stored: SignInIntent | undefined,
  driver: OidcDriver
): Promise<CallbackOutcome> {
  const intent = stored && stored.provider === provider ? stored : null

  let profile: OidcUser
  try {
    if (driver.accessDenied()) throw new SignInRefused('access_denied', 'access_denied', 400)
    if (driver.hasError()) throw new SignInRefused('provider_error', 'oauth_failed', 400)
    if (!intent || driver.stateMisMatch()) {
      throw new SignInRefused('state_mismatch', 'oauth_failed', 400)
    }
    try {
      profile = await driver.user()
    } catch (error) {
      if (error instanceof IdTokenError || error instanceof SignInRefused) throw error
      /* Token endpoint refused the code/verifier, provider unreachable, ... */
      const code = (error as { code?: string }).code
      logger.warn({ err: error, requestId: meta.requestId }, 'oauth code exchange failed')
      throw new SignInRefused(code ?? 'token_exchange_failed', 'oauth_failed', 400)
    }
    const linked = await linkedIdentity(provider, profile.id)
    await enforceSchools(intent, provider, profile, linked)
    const { user, event, newlyVerified, reclaimed } = await resolveAccount(
      provider,
      profile,
      linked
    )
    /* Before the new session: whatever the registrant set up ends (sessions, devices, factors). */
    if (reclaimed) await reclaimUnprovenAccount(meta, user.id, provider)
    await recordAudit(meta, {
      action: event,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      changes: { provider, schoolId: intent.schoolId },
    })
    /* Like e-mail verification: a newly verified address joins schools allowing its domain. */
    if (newlyVerified) await joinSchoolsAllowingDomain(user)

    const result = await firstFactorVerified(meta, proof, user, provider)
    const code = await issueExchangeCode({ result, codeChallenge: intent.codeChallenge })
    if (intent.returnTo) {
      const url = new URL(intent.returnTo)
      url.searchParams.set('code', code)
      return { redirectTo: url.href }
    }
    return { code, expiresIn: oauthSettings.exchangeCodeTtlSeconds }
  } catch (error) {
    if (error instanceof SignInRefused) return refuse(meta, provider, intent, error)
    if (error instanceof IdTokenError) {
      return refuse(meta, provider, intent, new SignInRefused(error.reason, 'oauth_failed', 400))
    }
    throw error
  }
}
