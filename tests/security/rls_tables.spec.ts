import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { resetDatabase } from '#tests/helpers/database'
import { asOwner, createSchool } from '#tests/helpers/fixtures'
import { seedSchoolEverywhere } from '#tests/helpers/tenant_seed'

/*
| Row-level security checked directly, as the application role (the default `db`
| connection, DATABASE_URL) inside school A's context, for every table that has RLS
| enabled — listed from pg_class, so a table added later is covered without editing
| this file.
*/

async function rlsTables() {
  const { rows } = await db.rawQuery<{ rows: { name: string }[] }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity order by 1`
  )
  return rows.map((row) => row.name)
}

/** Columns an INSERT may set (generated and identity columns excluded). */
async function insertableColumns(table: string) {
  const { rows } = await db.rawQuery<{ rows: { name: string }[] }>(
    `select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = ?
        and is_generated = 'NEVER' and is_identity = 'NO'
        and not (column_name = 'id' and column_default is not null)`,
    [table]
  )
  return rows.map((row) => row.name)
}

/** Tables whose policies let a school read its own rows (the outbox, for one, is write-only). */
async function schoolReadableTables() {
  const { rows } = await db.rawQuery<{ rows: { name: string }[] }>(
    `select distinct tablename as name from pg_policies
      where schemaname = 'public' and cmd in ('SELECT', 'ALL') and qual like '%app_school_id()%'`
  )
  return new Set(rows.map((row) => row.name))
}

async function snapshotOf(schoolId: string, tables: string[]) {
  return asOwner(async (trx) => {
    const snapshot: Record<string, unknown[]> = {}
    for (const table of tables) {
      snapshot[table] = await trx.from(table).where('school_id', schoolId).orderByRaw('1')
    }
    return snapshot
  })
}

type Outcome = { rowCount: number } | { code: string }

/** Runs one statement in a savepoint, so a refusal does not end the surrounding transaction. */
async function attempt(
  trx: TransactionClientContract,
  statement: (savepoint: TransactionClientContract) => Promise<unknown>
): Promise<Outcome> {
  try {
    return await trx.transaction(async (savepoint) => {
      const result = (await statement(savepoint)) as { rowCount?: number } | number | unknown[]
      const rowCount = Array.isArray(result)
        ? result.length
        : typeof result === 'number'
          ? result
          : Number(result?.rowCount)
      return { rowCount }
    })
  } catch (error) {
    return { code: (error as { code?: string }).code ?? String(error) }
  }
}

/** As the app role with school A's context. */
function asSchool<T>(schoolId: string, work: (trx: TransactionClientContract) => Promise<T>) {
  return db.transaction(async (trx) => {
    await trx.rawQuery(`select set_config('app.school_id', ?, true)`, [schoolId])
    return work(trx)
  })
}

test.group('Row-level security, table by table, as the app role', (group) => {
  group.each.setup(() => resetDatabase())

  async function twoSeededSchools() {
    const schoolA = await createSchool('rls-a')
    const schoolB = await createSchool('rls-b')
    const seedA = await seedSchoolEverywhere(schoolA.id, 'rls-a')
    const seedB = await seedSchoolEverywhere(schoolB.id, 'rls-b')
    return { schoolA, schoolB, seedA, seedB, tables: await rlsTables() }
  }

  test('the app role is subject to RLS, and both schools have rows in every RLS table', async ({
    assert,
  }) => {
    const { seedA, seedB, tables } = await twoSeededSchools()
    assert.isAbove(tables.length, 0)
    const role = await db.rawQuery(
      `select rolbypassrls, rolsuper from pg_roles where rolname = current_user`
    )
    assert.deepEqual(role.rows[0], { rolbypassrls: false, rolsuper: false })
    // A table missing here needs a row in tests/helpers/tenant_seed.ts.
    assert.includeMembers(seedA.tables, tables, 'school A is seeded in every RLS table')
    assert.includeMembers(seedB.tables, tables, 'school B is seeded in every RLS table')
  })

  test("school A's context sees its own rows and none of school B's", async ({ assert }) => {
    const { schoolA, schoolB, tables } = await twoSeededSchools()
    const readable = await schoolReadableTables()
    await asSchool(schoolA.id, async (trx) => {
      for (const table of tables) {
        const own = await trx.from(table).where('school_id', schoolA.id).count('* as n')
        if (readable.has(table)) {
          assert.isAbove(Number(own[0].n), 0, `${table}: school A reads its own rows`)
        }
        const other = await trx.from(table).where('school_id', schoolB.id).count('* as n')
        assert.equal(Number(other[0].n), 0, `${table}: a row of school B is visible`)
      }
    })
  })

  test("school A's context can neither change, delete, create nor move rows into school B", async ({
    assert,
  }) => {
    const { schoolA, schoolB, tables } = await twoSeededSchools()
    const before = await snapshotOf(schoolB.id, tables)
    const refused = (outcome: Outcome) =>
      'code' in outcome ? outcome.code === '42501' : outcome.rowCount === 0

    await asSchool(schoolA.id, async (trx) => {
      for (const table of tables) {
        const update = await attempt(trx, (sp) =>
          sp.rawQuery(`update "${table}" set school_id = school_id where school_id = ?`, [
            schoolB.id,
          ])
        )
        assert.isTrue(refused(update), `${table}: update of B's rows -> ${JSON.stringify(update)}`)

        const remove = await attempt(trx, (sp) =>
          sp.rawQuery(`delete from "${table}" where school_id = ?`, [schoolB.id])
        )
        assert.isTrue(refused(remove), `${table}: delete of B's rows -> ${JSON.stringify(remove)}`)

        // A copy of B's own row, written from A's context: refused by the policy's WITH CHECK.
        const columns = await insertableColumns(table)
        const [rowOfB] = before[table] as Record<string, unknown>[]
        const copy = Object.fromEntries(columns.map((column) => [column, rowOfB[column]]))
        const insert = await attempt(trx, (sp) => sp.table(table).insert(copy))
        assert.deepEqual(insert, { code: '42501' }, `${table}: insert of a row of school B`)

        // Refused by WITH CHECK, or (jobs) kept in A by a trigger that copies the owner from the source.
        const ownRows = async () =>
          Number((await trx.from(table).where('school_id', schoolA.id).count('* as n'))[0].n)
        const ownBefore = await ownRows()
        const move = await attempt(trx, (sp) =>
          sp.rawQuery(`update "${table}" set school_id = ? where school_id = ?`, [
            schoolB.id,
            schoolA.id,
          ])
        )
        assert.isTrue(
          'code' in move ? move.code === '42501' : (await ownRows()) === ownBefore,
          `${table}: moving A's rows into school B -> ${JSON.stringify(move)}`
        )
      }
    })

    assert.deepEqual(await snapshotOf(schoolB.id, tables), before, "school B's rows are unchanged")
  })
})
