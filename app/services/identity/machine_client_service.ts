import { timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { withTenant } from '#services/platform/tenant_context'
import type { Permission } from '#services/tenancy/permissions'

export const MACHINE_SCOPES = ['roster.write', 'roster.read', 'analytics.read'] as const
export type MachineScope = (typeof MACHINE_SCOPES)[number]

/**
 * A machine client's role ceiling: the school permissions its scopes stand for.
 * Creating a client with a scope needs these (nobody delegates what they lack);
 * a roster sync may only assign roles within the token's set.
 */
export const MACHINE_SCOPE_PERMISSIONS: Record<MachineScope, readonly Permission[]> = {
  'roster.write': ['members.invite', 'cohorts.manage'],
  'roster.read': ['members.manage'],
  'analytics.read': ['analytics.read'],
}

export function scopePermissions(scopes: readonly string[]) {
  return new Set(scopes.flatMap((scope) => MACHINE_SCOPE_PERMISSIONS[scope as MachineScope] ?? []))
}
export const MACHINE_TOKEN_TTL_SECONDS = 600

export interface MachinePrincipal {
  clientId: string
  machineClientId: string
  schoolId: string
  scopes: string[]
}

/** Creates a client; the secret is returned once and stored hashed. */
export async function createClient(
  trx: TransactionClientContract,
  schoolId: string,
  name: string,
  scopes: string[]
) {
  const clientId = newOpaqueToken('pwc_').value.slice(0, 36)
  const secret = newOpaqueToken('pws_')
  const [row] = await trx
    .table('machine_clients')
    .insert({ school_id: schoolId, name, client_id: clientId, secret_hash: secret.hash, scopes })
    .returning(['id', 'name', 'client_id', 'scopes', 'created_at'])
  return { row, clientSecret: secret.value }
}

/** A new secret; the old one and every token issued with it stop working. */
/** The school's machine clients, oldest first. */
export function listClients(trx: TransactionClientContract, schoolId: string) {
  return trx.from('machine_clients').where('school_id', schoolId).orderBy('created_at')
}

export async function rotateSecret(trx: TransactionClientContract, schoolId: string, id: string) {
  const secret = newOpaqueToken('pws_')
  const [row] = await trx
    .from('machine_clients')
    .where({ school_id: schoolId, id })
    .whereNull('revoked_at')
    .update({ secret_hash: secret.hash, rotated_at: DateTime.now().toSQL() })
    .returning(['id', 'name', 'client_id', 'scopes', 'created_at', 'revoked_at'])
  if (!row) throw ProblemException.notFound()
  await trx.from('machine_access_tokens').where('machine_client_id', id).delete()
  return { row, clientSecret: secret.value }
}

export async function revokeClient(trx: TransactionClientContract, schoolId: string, id: string) {
  const updated = await trx
    .from('machine_clients')
    .where({ school_id: schoolId, id })
    .whereNull('revoked_at')
    .update({ revoked_at: DateTime.now().toSQL() })
  if (!Number(updated)) throw ProblemException.notFound()
  await trx.from('machine_access_tokens').where('machine_client_id', id).delete()
}

const invalidClient = () =>
  new ProblemException(401, 'invalid-client', 'Unauthorized', 'Client authentication failed.')

/**
 * RFC 6749 client credentials: authenticates the client (constant-time secret
 * comparison on hashes) and issues a short-lived opaque token for its school,
 * narrowed to the requested scopes.
 */
export async function issueToken(clientId: string, clientSecret: string, requested?: string) {
  // A suspended school's clients authenticate like unknown ones.
  const client = await withTenant({ platformScope: true }, (trx) =>
    trx
      .from('machine_clients as c')
      .join('schools as s', 's.id', 'c.school_id')
      .where('c.client_id', clientId)
      .whereNull('c.revoked_at')
      .where('s.status', 'active')
      .select('c.*')
      .first()
  )
  const presented = hashToken(clientSecret)
  const expected: Buffer = client?.secret_hash ?? Buffer.alloc(presented.length)
  if (!client || !timingSafeEqual(presented, expected)) throw invalidClient()

  const scopes = requested ? requested.split(' ').filter(Boolean) : (client.scopes as string[])
  if (scopes.some((scope) => !(client.scopes as string[]).includes(scope))) {
    throw new ProblemException(
      400,
      'invalid-scope',
      'Bad Request',
      'A requested scope is not granted to this client.'
    )
  }
  const token = newOpaqueToken('pwm_')
  await db.table('machine_access_tokens').insert({
    machine_client_id: client.id,
    school_id: client.school_id,
    token_hash: token.hash,
    scopes,
    expires_at: DateTime.now().plus({ seconds: MACHINE_TOKEN_TTL_SECONDS }).toSQL(),
  })
  return {
    access_token: token.value,
    token_type: 'Bearer' as const,
    expires_in: MACHINE_TOKEN_TTL_SECONDS,
    scope: scopes.join(' '),
  }
}

/** The machine principal behind a bearer token, or null (unknown, expired, revoked, school suspended). */
export async function principalFor(token: string): Promise<MachinePrincipal | null> {
  if (!token.startsWith('pwm_')) return null
  const row = await db
    .from('machine_access_tokens as t')
    .join('schools as s', 's.id', 't.school_id')
    .where('t.token_hash', hashToken(token))
    .where('t.expires_at', '>', DateTime.now().toSQL())
    .where('s.status', 'active')
    .select('t.machine_client_id', 't.school_id', 't.scopes')
    .first()
  if (!row) return null
  return {
    clientId: row.machine_client_id,
    machineClientId: row.machine_client_id,
    schoolId: row.school_id,
    scopes: row.scopes,
  }
}
