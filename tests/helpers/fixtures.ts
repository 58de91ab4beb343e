import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import hash from '@adonisjs/core/services/hash'
import type { SchoolRole } from '#services/permissions'

export const TEST_PASSWORD = 'a-long enough passphrase 42'

/**
 * Fixtures are written through the owner connection in platform scope: tenant
 * tables force row-level security even for their owner.
 */
export async function asOwner<T>(work: (trx: TransactionClientContract) => Promise<T>): Promise<T> {
  return db.connection('owner').transaction(async (trx) => {
    await trx.rawQuery(`select set_config('app.platform_scope', 'on', true)`)
    return work(trx)
  })
}

let passwordHash: string | undefined

export async function createUser(
  email: string,
  options: { platformAdmin?: boolean; verified?: boolean } = {}
) {
  passwordHash ??= await hash.use('argon').make(TEST_PASSWORD)
  const [row] = await asOwner((trx) =>
    trx
      .table('users')
      .insert({
        email,
        password: passwordHash,
        full_name: email.split('@')[0],
        email_verified_at: options.verified === false ? null : new Date(),
        is_platform_admin: options.platformAdmin ?? false,
      })
      .returning(['id', 'email'])
  )
  return row as { id: string; email: string }
}

export async function createSchool(slug: string, extra: Record<string, unknown> = {}) {
  const [row] = await asOwner((trx) =>
    trx
      .table('schools')
      .insert({ slug, name: `School ${slug}`, ...extra })
      .returning(['id', 'slug'])
  )
  return row as { id: string; slug: string }
}

export async function addMember(schoolId: string, userId: string, role: SchoolRole) {
  const [row] = await asOwner((trx) =>
    trx.table('memberships').insert({ school_id: schoolId, user_id: userId, role }).returning('id')
  )
  return row.id as string
}

export async function createCohort(schoolId: string, name = 'Cohort') {
  const [row] = await asOwner((trx) =>
    trx.table('cohorts').insert({ school_id: schoolId, name }).returning('id')
  )
  return row.id as string
}

/** Signs in through the real endpoint and returns the access token. */
export async function login(email: string, password = TEST_PASSWORD) {
  const response = await fetch(`http://${process.env.HOST}:${process.env.PORT}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (response.status !== 200) throw new Error(`login ${email} answered ${response.status}`)
  const body = (await response.json()) as { accessToken: string; refreshToken: string }
  return body
}
