import { BaseSeeder } from '@adonisjs/lucid/seeders'
import hash from '@adonisjs/core/services/hash'

export const DEMO_PASSWORD = 'pathways-demo-password'

/**
 * Two demo schools with admins, staff, mentors, cohorts and learners for bin/dev.
 * Idempotent: re-running it changes nothing. Runs as the owner in platform scope.
 */
export default class DemoSeeder extends BaseSeeder {
  static environment = ['development']

  async run() {
    const password = await hash.use('argon').make(DEMO_PASSWORD)
    await this.client.transaction(async (trx) => {
      await trx.rawQuery(`select set_config('app.platform_scope', 'on', true)`)

      const user = async (email: string, platformAdmin = false) => {
        await trx.rawQuery(
          `insert into users (email, password, full_name, email_verified_at, is_platform_admin)
           values (?, ?, ?, now(), ?) on conflict (email) do nothing`,
          [email, password, email.split('@')[0], platformAdmin]
        )
        return (await trx.from('users').where('email', email).first()).id as string
      }
      await user('root@pathways.test', true)

      const schools = [
        { slug: 'northside', name: 'Northside High', learners: 6 },
        { slug: 'lakeview', name: 'Lakeview Academy', learners: 4 },
      ]
      for (const spec of schools) {
        await trx.rawQuery(
          `insert into schools (slug, name, allowed_email_domains) values (?, ?, ?) on conflict (slug) do nothing`,
          [spec.slug, spec.name, [`${spec.slug}.test`]]
        )
        const schoolId = (await trx.from('schools').where('slug', spec.slug).first()).id as string
        const member = async (email: string, role: string) => {
          const userId = await user(email)
          await trx.rawQuery(
            `insert into memberships (school_id, user_id, role) values (?, ?, ?)
             on conflict (school_id, user_id) do nothing`,
            [schoolId, userId, role]
          )
          return (
            await trx.from('memberships').where({ school_id: schoolId, user_id: userId }).first()
          ).id as string
        }
        await member(`admin@${spec.slug}.test`, 'school_admin')
        await member(`staff@${spec.slug}.test`, 'staff')
        const mentor = await member(`mentor@${spec.slug}.test`, 'mentor')

        let cohort = await trx
          .from('cohorts')
          .where({ school_id: schoolId, name: 'Class of 2027' })
          .first()
        if (!cohort) {
          ;[cohort] = await trx
            .table('cohorts')
            .insert({
              school_id: schoolId,
              name: 'Class of 2027',
              term: '2026-2027',
              starts_on: '2026-09-01',
              ends_on: '2027-06-30',
            })
            .returning('*')
        }
        await trx.rawQuery(
          `insert into cohort_members (school_id, cohort_id, membership_id, cohort_role)
           values (?, ?, ?, 'mentor') on conflict do nothing`,
          [schoolId, cohort.id, mentor]
        )
        for (let index = 1; index <= spec.learners; index++) {
          const learner = await member(`learner${index}@${spec.slug}.test`, 'learner')
          await trx.rawQuery(
            `insert into cohort_members (school_id, cohort_id, membership_id, cohort_role)
             values (?, ?, ?, 'learner') on conflict do nothing`,
            [schoolId, cohort.id, learner]
          )
          await trx.rawQuery(
            `insert into mentor_assignments (school_id, cohort_id, mentor_membership_id, learner_membership_id)
             values (?, ?, ?, ?) on conflict do nothing`,
            [schoolId, cohort.id, mentor, learner]
          )
        }
      }
    })
  }
}
