import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import cliProgress from 'cli-progress'

/** Rebuilds the Redis analytics aggregates (completion, applications by status) from PostgreSQL. */
export default class AnalyticsRebuild extends BaseCommand {
  static commandName = 'analytics:rebuild'
  static description = 'Rebuild analytics aggregates in Redis from PostgreSQL'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { rebuildAnalytics } = await import('#services/profiles/analytics_service')
    const bar = new cliProgress.SingleBar({
      format: 'analytics {bar} {value}/{total} schools',
      noTTYOutput: true,
      notTTYSchedule: 2000,
    })
    let started = false
    try {
      const result = await rebuildAnalytics((done, total) => {
        if (!started) {
          bar.start(total, done)
          started = true
        } else bar.update(done)
      })
      bar.stop()
      this.logger.success(`analytics rebuilt for ${result.schools} school(s)`)
    } catch (error) {
      bar.stop()
      this.logger.error(`analytics rebuild failed: ${(error as Error).message}`)
      this.exitCode = 1
    }
  }
}
