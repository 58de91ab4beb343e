import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { asOwner, createSchool } from '#tests/helpers/fixtures'
import { insertSource } from '#tests/helpers/jobs_helpers'
import { withTenant } from '#services/platform/tenant_context'
import { PostgresJobSearchIndex } from '#services/jobs/search/postgres_index'

const postgres = new PostgresJobSearchIndex()

/** The narrow search table as the owner sees it: id → [title, xmin]. */
async function searchRows() {
  const rows = await asOwner((trx) =>
    trx.rawQuery(`SELECT id, title, xmin::text AS xmin FROM job_search ORDER BY title`)
  )
  return new Map<string, { title: string; xmin: string }>(
    rows.rows.map((r: any) => [r.id, { title: r.title, xmin: r.xmin }])
  )
}

const titles = async (schoolId: string, q: string) =>
  (await postgres.search({ schoolId, q, sort: 'date' })).data.map((hit) => hit.title)

test.group('Job search table: kept in step with jobs', (group) => {
  group.each.setup(() => resetDatabase())

  test('inserts, changes, closes, reopens and deletes of jobs reach the search', async ({
    assert,
  }) => {
    const school = await createSchool('search-table')
    const source = await insertSource({ kind: 'json_feed', url: 'https://feed.example/t.json' })
    const [a, b] = await asOwner((trx) =>
      trx.rawQuery(
        `INSERT INTO jobs (source_id, external_id, content_hash, title, company, posted_at, status)
         VALUES (?, 'a', 'h', 'Welder Apprentice', 'Acme', now(), 'open'),
                (?, 'b', 'h', 'Welder Lead', 'Acme', now() - interval '1 day', 'open'),
                (?, 'c', 'h', 'Welder Closed', 'Acme', now(), 'closed')
         RETURNING id`,
        [source.id, source.id, source.id]
      )
    ).then((r) => r.rows.map((row: any) => row.id as string))
    assert.deepEqual(await titles(school.id, 'welder'), ['Welder Apprentice', 'Welder Lead'])
    assert.deepEqual([...(await searchRows()).keys()].sort(), [a, b].sort())

    // the ingestion upsert: a changed posting is rewritten, an unchanged one is not
    const before = await searchRows()
    await asOwner((trx) =>
      trx.rawQuery(
        `INSERT INTO jobs (source_id, external_id, content_hash, title, company, posted_at)
         VALUES (?, 'a', 'h2', 'Plumber Apprentice', 'Acme', now()),
                (?, 'b', 'h', 'Welder Lead', 'Acme', now() - interval '1 day')
         ON CONFLICT (source_id, external_id) DO UPDATE SET title = excluded.title,
           content_hash = excluded.content_hash, updated_at = now()`,
        [source.id, source.id]
      )
    )
    const after = await searchRows()
    assert.equal(after.get(a)!.title, 'Plumber Apprentice')
    assert.equal(after.get(b)!.xmin, before.get(b)!.xmin, 'an unchanged job is not rewritten')
    assert.deepEqual(await titles(school.id, 'welder'), ['Welder Lead'])
    assert.deepEqual(await titles(school.id, 'plumber'), ['Plumber Apprentice'])

    await asOwner((trx) => trx.rawQuery(`UPDATE jobs SET status = 'closed' WHERE id = ?`, [b]))
    assert.deepEqual(await titles(school.id, 'welder'), [])
    await asOwner((trx) =>
      trx.rawQuery(`UPDATE jobs SET status = 'open' WHERE external_id IN ('b', 'c')`)
    )
    assert.deepEqual(await titles(school.id, 'welder'), ['Welder Closed', 'Welder Lead'])

    await asOwner((trx) => trx.rawQuery(`DELETE FROM jobs WHERE id = ?`, [a]))
    assert.isFalse((await searchRows()).has(a))
    // deleting the source cascades to its jobs, and from them to the search table
    await asOwner((trx) => trx.rawQuery(`DELETE FROM job_sources WHERE id = ?`, [source.id]))
    assert.equal((await searchRows()).size, 0)
  })

  test("another school's jobs stay invisible; the app role reads the table under the policy, never writes it", async ({
    assert,
  }) => {
    const schoolA = await createSchool('search-table-a')
    const schoolB = await createSchool('search-table-b')
    const own = await insertSource({
      schoolId: schoolB.id,
      kind: 'json_feed',
      url: 'https://feed.example/b.json',
    })
    await asOwner((trx) =>
      trx.rawQuery(
        `INSERT INTO jobs (source_id, school_id, external_id, content_hash, title, company, posted_at)
         VALUES (?, ?, 'secret', 'h', 'Secret Welder', 'Acme', now())`,
        [own.id, schoolB.id]
      )
    )
    assert.deepEqual(await titles(schoolB.id, 'welder'), ['Secret Welder'])
    assert.deepEqual(await titles(schoolA.id, 'welder'), [])
    assert.deepEqual(await postgres.suggest(schoolA.id, 'secr'), [])
    await withTenant({ schoolId: schoolA.id }, async (trx) => {
      for (const relation of ['visible_job_search', 'job_search']) {
        const { rows } = await trx.rawQuery(`SELECT count(*)::int AS n FROM ${relation}`)
        assert.equal(rows[0].n, 0, relation)
      }
    })
    await assert.rejects(
      () => db.rawQuery(`DELETE FROM job_search WHERE school_id = ?`, [schoolB.id]),
      /permission denied/
    )
  })
})
