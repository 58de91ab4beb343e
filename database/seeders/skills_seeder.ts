import { BaseSeeder } from '@adonisjs/lucid/seeders'
import db from '@adonisjs/lucid/services/db'
import { seedSkillList } from '#services/profiles/profile_skills'

/** The normalized skill list (migration 0040 seeds it too; this restores it after a truncate). */
export default class extends BaseSeeder {
  async run() {
    await seedSkillList(db.connection('owner'))
  }
}
