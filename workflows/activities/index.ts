import type { ApplicationService } from '@adonisjs/core/types'
import { pingActivities } from './ping.js'
import { reportsActivities } from './reports.js'
import { jobsActivities } from './jobs.js'
import { invitationActivities } from './invitations.js'
import { profileNudgesActivities } from './profile_nudges.js'
import { mfaRecoveryActivities } from './mfa_recovery.js'

/** Every activity, built over the booted Adonis application (Lucid, mail, redis, S3...). */
export function createActivities(app: ApplicationService) {
  return {
    ...pingActivities(app),
    ...reportsActivities(),
    ...jobsActivities(app),
    ...invitationActivities(),
    ...profileNudgesActivities(),
    ...mfaRecoveryActivities(),
  }
}

export type Activities = ReturnType<typeof createActivities>
