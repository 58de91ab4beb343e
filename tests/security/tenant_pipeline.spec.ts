import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { resetDatabase } from '#tests/helpers/database'
import { addMember, createCohort, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { openTenantTransaction, withTenant } from '#services/platform/tenant_context'

/*
| A tenant transaction's BEGIN + RLS settings are written to a pipelined connection without waiting
| for their answer, with the first query right behind them. These tests check that row-level
| security still holds on that path: the first query of a transaction runs with its own school's
| settings, also when many transactions of different schools share the pool at once.
*/
async function twoSchoolsWithCohorts() {
  const schoolA = await createSchool('pipe-a')
  const schoolB = await createSchool('pipe-b')
  for (const name of ['A one', 'A two']) await createCohort(schoolA.id, name)
  for (const name of ['B one', 'B two', 'B three']) await createCohort(schoolB.id, name)
  return { schoolA, schoolB }
}

/** The pg client a knex transaction is pinned to, and how many of its queries await an answer. */
type PgClient = { _activeQuery?: unknown; _sentQueryQueue: unknown[]; _queryQueue: unknown[] }
const pinnedConnection = (trx: TransactionClientContract) =>
  (
    trx.knexClient as unknown as { client: { acquireConnection(): Promise<PgClient> } }
  ).client.acquireConnection()
const unanswered = (client: PgClient) =>
  (client._activeQuery ? 1 : 0) + client._sentQueryQueue.length + client._queryQueue.length

test.group('Tenant transactions on a pipelined connection', (group) => {
  group.each.setup(() => resetDatabase())

  test('the app connection pipelines, so BEGIN and the first query share a round trip', async ({
    assert,
  }) => {
    const trx = await openTenantTransaction({ schoolId: null })
    try {
      const connection = (trx.knexClient as unknown as { client: { connectionSettings: unknown } })
        .client.connectionSettings as { pipeline?: boolean }
      assert.isTrue(connection.pipeline)
    } finally {
      await trx.rollback()
    }
  })

  test("each transaction's first query sees only its own school, under concurrency", async ({
    assert,
  }) => {
    const { schoolA, schoolB } = await twoSchoolsWithCohorts()
    const rounds = 40
    const results = await Promise.all(
      Array.from({ length: rounds }, (_, i) => {
        const schoolId = i % 2 === 0 ? schoolA.id : schoolB.id
        return withTenant({ schoolId }, async (trx) => ({
          schoolId,
          // The first query of the transaction: written before BEGIN was answered.
          rows: await trx.from('cohorts').select('school_id', 'name'),
        }))
      })
    )
    for (const { schoolId, rows } of results) {
      assert.lengthOf(rows, schoolId === schoolA.id ? 2 : 3)
      assert.isTrue(rows.every((row) => row.school_id === schoolId))
    }
    // Settings are transaction-local: the pool carries no school context afterwards.
    const bare = await db.from('cohorts').count('* as n')
    assert.equal(Number(bare[0].n), 0)
  })

  test('a read-only tenant transaction sees its own school and refuses writes', async ({
    assert,
  }) => {
    const { schoolA } = await twoSchoolsWithCohorts()
    const trx = await openTenantTransaction({ schoolId: schoolA.id, readOnly: true })
    try {
      const rows = await trx.from('cohorts').select('school_id')
      assert.lengthOf(rows, 2)
      const write = await trx
        .table('cohorts')
        .insert({ school_id: schoolA.id, name: 'written in a GET' })
        .then(
          () => null,
          (error: { code?: string }) => error.code
        )
      assert.equal(write, '25006') // read_only_sql_transaction
    } finally {
      if (!trx.isCompleted) await trx.rollback()
    }
    const names = await withTenant({ schoolId: schoolA.id }, (t) =>
      t.from('cohorts').select('name')
    )
    assert.notInclude(
      names.map((row) => row.name),
      'written in a GET'
    )
  })

  test("a read-only COMMIT is not waited for, and the connection's next user sees only its own rows", async ({
    assert,
  }) => {
    const { schoolA, schoolB } = await twoSchoolsWithCohorts()
    for (let i = 0; i < 20; i++) {
      const schoolId = i % 2 === 0 ? schoolA.id : schoolB.id
      const trx = await openTenantTransaction({ schoolId, readOnly: true })
      const rows = await trx.from('cohorts').select('school_id')
      assert.isTrue(rows.length > 0 && rows.every((row) => row.school_id === schoolId))
      const connection = await pinnedConnection(trx)
      await trx.commit()
      assert.isTrue(trx.isCompleted)
      assert.isAbove(unanswered(connection), 0, 'commit() waited for the COMMIT to be answered')
      // The connection went back to the pool with its COMMIT still on the wire: the next query
      // (usually on that connection) runs after it, outside the transaction, with no school.
      const bare = await db.from('cohorts').count('* as n')
      assert.equal(Number(bare[0].n), 0)
      const other = schoolId === schoolA.id ? schoolB.id : schoolA.id
      const next = await withTenant({ schoolId: other }, (t) =>
        t.from('cohorts').select('school_id')
      )
      assert.isTrue(next.every((row) => row.school_id === other))
    }
  })

  test("a school route never answers another school's rows, under concurrency", async ({
    client,
    assert,
  }) => {
    const { schoolA, schoolB } = await twoSchoolsWithCohorts()
    const adminA = await createUser('pipe-admin-a@a.test')
    const adminB = await createUser('pipe-admin-b@b.test')
    await addMember(schoolA.id, adminA.id, 'school_admin')
    await addMember(schoolB.id, adminB.id, 'school_admin')
    const tokenA = (await login('pipe-admin-a@a.test')).accessToken
    const tokenB = (await login('pipe-admin-b@b.test')).accessToken

    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const [schoolId, token] = i % 2 === 0 ? [schoolA.id, tokenA] : [schoolB.id, tokenB]
        return client
          .get(`/v1/schools/${schoolId}/cohorts`)
          .bearerToken(token)
          .then((response) => ({ schoolId, response }))
      })
    )
    for (const { schoolId, response } of responses) {
      response.assertStatus(200)
      const names = (response.body().data as { name: string }[]).map((row) => row.name).sort()
      assert.deepEqual(
        names,
        schoolId === schoolA.id ? ['A one', 'A two'] : ['B one', 'B three', 'B two']
      )
    }
    const crossed = await client.get(`/v1/schools/${schoolB.id}/cohorts`).bearerToken(tokenA)
    crossed.assertStatus(404)
  })
})
