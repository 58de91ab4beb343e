import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import type { WorkflowsConfig } from '#config/workflows'
import { withTenant } from '#services/platform/tenant_context'
import { sendOnce } from '#services/platform/notification_service'
import { ProfileNudgeMail } from '#mails/platform/workflow_mails'
import {
  computeProfileCompletion,
  notificationPreferences,
  type NotificationPreferences,
} from '#services/profiles/profile_completion'
import { SchoolIdKey, WorkflowKindKey } from '#workflows/search_attributes'
import { cancelIntent, startIntent } from '#workflows/client'
import { enqueueAndDispatch } from '#services/platform/workflow_outbox'
import { profileNudges } from '#workflows/profile_nudges'

export function nudgesWorkflowId(schoolId: string, userId: string) {
  return `nudges:${schoolId}:${userId}`
}

/**
 * The intent that starts `profileNudges` for a learner whose membership just became
 * active; enqueue it in the transaction that activates the membership. A running one
 * is left alone (same id).
 */
export function profileNudgesIntent(schoolId: string, userId: string, membershipId: string) {
  return startIntent(profileNudges, {
    workflowId: nudgesWorkflowId(schoolId, userId),
    args: [
      {
        schoolId,
        userId,
        membershipId,
        offsets: app.config.get<WorkflowsConfig>('workflows').nudges.offsets,
      },
    ],
    searchAttributes: [
      { key: SchoolIdKey, value: schoolId },
      { key: WorkflowKindKey, value: 'profile-nudges' },
    ],
  })
}

/** The membership ended (or was suspended): the intent that cancels the learner's nudges. */
export function cancelProfileNudgesIntent(schoolId: string, userId: string) {
  return cancelIntent(nudgesWorkflowId(schoolId, userId))
}

/** Starts (or cancels) the nudges outside a request transaction: enqueue, commit, deliver. */
export async function startProfileNudges(schoolId: string, userId: string, membershipId: string) {
  await enqueueAndDispatch(schoolId, [profileNudgesIntent(schoolId, userId, membershipId)])
}

export async function cancelProfileNudges(schoolId: string, userId: string) {
  await enqueueAndDispatch(schoolId, [cancelProfileNudgesIntent(schoolId, userId)])
}

type Check = { status: 'complete' | 'ended' | 'incomplete'; missing: string[] }

async function check(schoolId: string, membershipId: string) {
  return withTenant({ schoolId }, async (trx) => {
    const membership = await trx
      .from('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.school_id': schoolId, 'm.id': membershipId })
      .select('m.status', 'u.email', 'u.full_name', 'u.status as user_status')
      .first()
    if (!membership || membership.status !== 'active' || membership.user_status !== 'active') {
      return {
        check: { status: 'ended', missing: [] } as Check,
        membership: null,
        preferences: null,
      }
    }
    const completion = await computeProfileCompletion(trx, schoolId, membershipId)
    const preferences = await notificationPreferences(trx, schoolId, membershipId)
    return {
      check: {
        status: completion.missing.length === 0 ? 'complete' : 'incomplete',
        missing: completion.missing,
      } as Check,
      membership,
      preferences,
    }
  })
}

export async function checkCompletion(schoolId: string, membershipId: string): Promise<Check> {
  const result = await check(schoolId, membershipId)
  return result.check
}

/** Milliseconds until the quiet hours end, or 0 outside them (`HH:mm` in the member's zone). */
export function quietHoursRemaining(
  quietHours: NotificationPreferences['quietHours'],
  now: DateTime = DateTime.utc()
) {
  if (!quietHours) return 0
  const local = now.setZone(quietHours.timezone || 'UTC')
  if (!local.isValid) return 0
  const at = (hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number)
    return local.set({ hour, minute, second: 0, millisecond: 0 })
  }
  let start = at(quietHours.start)
  let end = at(quietHours.end)
  if (end <= start) {
    // Overnight window, e.g. 22:00-07:00.
    if (local >= start) end = end.plus({ days: 1 })
    else start = start.minus({ days: 1 })
  }
  return local >= start && local < end ? end.diff(local).toMillis() : 0
}

export async function sendNudge(
  schoolId: string,
  membershipId: string,
  idempotencyKey: string
): Promise<
  { status: 'complete' | 'ended' | 'sent' | 'skipped' } | { status: 'quiet'; retryInMs: number }
> {
  const { check: result, membership, preferences } = await check(schoolId, membershipId)
  if (result.status !== 'incomplete' || !membership || !preferences) {
    return { status: result.status as 'complete' | 'ended' }
  }
  if (preferences.optOut.includes('email')) return { status: 'skipped' }
  const quiet = quietHoursRemaining(preferences.quietHours)
  if (quiet > 0) return { status: 'quiet', retryInMs: quiet + 1000 }
  const school = await withTenant({ schoolId }, (trx) =>
    trx.from('schools').where('id', schoolId).select('name').first()
  )
  await sendOnce(
    idempotencyKey,
    new ProfileNudgeMail(membership.email, {
      fullName: membership.full_name ?? null,
      schoolName: school?.name ?? null,
      missing: result.missing,
    })
  )
  return { status: 'sent' }
}
