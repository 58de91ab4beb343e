import type { ApplicationService } from '@adonisjs/core/types'
import { pingActivities } from './ping.js'

/** Every activity, built over the booted Adonis application (Lucid, mail, redis, S3...). */
export function createActivities(app: ApplicationService) {
  return {
    ...pingActivities(app),
  }
}

export type Activities = ReturnType<typeof createActivities>
