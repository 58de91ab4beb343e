import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { asOwner } from '#tests/helpers/fixtures'
import { insertSource } from '#tests/helpers/jobs_helpers'
import { refreshSearchStatistics } from '#services/jobs/search/statistics'

test.group('Job search: planner statistics', (group) => {
  group.each.setup(() => resetDatabase())

  test('the app role refreshes the jobs statistics after a batch, at most once per interval', async ({
    assert,
  }) => {
    const source = await insertSource({ kind: 'json_feed', url: 'https://feed.example/s.json' })
    await asOwner((trx) =>
      trx.rawQuery(
        `INSERT INTO jobs (source_id, external_id, content_hash, title, company, posted_at)
         SELECT ?, 'stat-' || n, 'h', 'Statistics Clerk ' || n, 'Acme', now()
           FROM generate_series(1, 300) AS n`,
        [source.id]
      )
    )
    const reltuples = async () => {
      const { rows } = await db.rawQuery(
        `SELECT reltuples FROM pg_class WHERE oid = 'jobs'::regclass`
      )
      return Number(rows[0].reltuples)
    }
    // runs as the app role, which does not own the table (a plain ANALYZE would be skipped)
    assert.isTrue(await refreshSearchStatistics({ minIntervalSeconds: 0 }))
    assert.equal(await reltuples(), 300)
    assert.isFalse(await refreshSearchStatistics({ minIntervalSeconds: 3600 }))
  })
})
