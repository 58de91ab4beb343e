import { pathToFileURL } from 'node:url'
import app from '@adonisjs/core/services/app'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import { runNow, upsertSchedule } from '#services/jobs/schedule_service'

export const DEMO_SOURCE_NAME = 'Demo job feed (local fixture)'

/**
 * A global `json_feed` source for bin/dev whose URL is a file:// URL of the bundled fixture
 * `tests/fixtures/jobs/demo_feed.json` (schema.org JobPosting). file:// URLs are accepted
 * only outside production and only from seeds: the API validator allows http(s) only.
 * Its Temporal Schedule is created (and triggered once) so the worker ingests it at start.
 * Idempotent.
 */
export default class JobsDemoSeeder extends BaseSeeder {
  static environment = ['development']

  async run() {
    const url = pathToFileURL(app.makePath('tests/fixtures/jobs/demo_feed.json')).toString()
    const source = await this.client.transaction(async (trx) => {
      await trx.rawQuery(`select set_config('app.platform_scope', 'on', true)`)
      const existing = await trx
        .from('job_sources')
        .whereNull('school_id')
        .where('name', DEMO_SOURCE_NAME)
        .first()
      if (existing) return { row: existing, created: false }
      const [row] = await trx
        .table('job_sources')
        .insert({ name: DEMO_SOURCE_NAME, kind: 'json_feed', url, interval_minutes: 60 })
        .returning('*')
      return { row, created: true }
    })
    await upsertSchedule({
      id: source.row.id,
      name: source.row.name,
      intervalMinutes: source.row.interval_minutes,
      status: source.row.status,
    })
    if (source.created) await runNow(source.row.id)
  }
}
