import {
  condition,
  continueAsNew,
  defineSignal,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow'
import type { Duration } from '@temporalio/common'
import { msToNumber } from '@temporalio/common'
import type { Activities } from './activities/index.js'

export interface ProfileNudgesInput {
  schoolId: string
  userId: string
  membershipId: string
  /** offsets from `startedAt` (default 2, 7, 14 days) */
  offsets: Duration[]
  /** epoch ms the membership became active (set on the first run, carried over continue-as-new) */
  startedAt?: number
  /** nudges already handled (sent or skipped), carried over continue-as-new */
  handled?: number
  /** nudges whose mail could not go out before their deadline, carried over continue-as-new */
  skipped?: number
}

export type NudgesOutcome =
  | 'complete'
  | 'membership-ended'
  | 'all-nudges-sent'
  /** the schedule ran out; some nudges were skipped (mail failing past their deadline) */
  | 'nudges-ended-some-skipped'

export const profileChanged = defineSignal('profileChanged')

/** Read-only checks: retried until the database answers (an outage delays, never ends, nudging). */
const { checkProfileCompletion } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

/**
 * A nudge's mail is worth sending until the next one is due (the last one: for as long as
 * the gap before it), so its retries are bounded by that deadline, not an attempt count;
 * past it the nudge is skipped and the next one goes out on time.
 */
function nudgeUntil(deadline: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: Math.max(MIN_NUDGE_WINDOW_MS, deadline - Date.now()),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  }).sendProfileNudge
}

/** Even a nudge that is already late gets this long to go out. */
const MIN_NUDGE_WINDOW_MS = 10_000

/** When the nudge at `index` stops being worth sending (epoch ms). */
export function nudgeDeadline(startedAt: number, offsets: Duration[], index: number) {
  const due = (i: number) => startedAt + msToNumber(offsets[i])
  if (index + 1 < offsets.length) return due(index + 1)
  const previous = index > 0 ? due(index - 1) : startedAt
  return due(index) + Math.max(MIN_NUDGE_WINDOW_MS, due(index) - previous)
}

/** Continue-as-new well before Temporal's history limits (signals add events). */
const MAX_HISTORY_EVENTS = 500

/**
 * Nudges a learner to complete their profile, id `nudges:{schoolId}:{userId}`. Sends a
 * mail at each offset while the profile is incomplete (naming what is missing, honouring
 * opt-out and quiet hours); `profileChanged` recomputes; completes when the profile is
 * complete; cancellation (membership ended) completes it as `membership-ended`.
 */
export async function profileNudges(input: ProfileNudgesInput): Promise<NudgesOutcome> {
  const { workflowId } = workflowInfo()
  const startedAt = input.startedAt ?? Date.now()
  let handled = input.handled ?? 0
  let skipped = input.skipped ?? 0
  let changes = 0
  setHandler(profileChanged, () => {
    changes += 1
  })

  try {
    let seen = 0
    const first = await checkProfileCompletion(input.schoolId, input.membershipId)
    if (first.status !== 'incomplete')
      return first.status === 'complete' ? 'complete' : 'membership-ended'

    while (handled < input.offsets.length) {
      const dueAt = startedAt + msToNumber(input.offsets[handled])
      const remaining = dueAt - Date.now()
      if (remaining > 0) {
        const signalled = await condition(() => changes > seen, remaining)
        if (signalled) {
          seen = changes
          const check = await checkProfileCompletion(input.schoolId, input.membershipId)
          if (check.status === 'complete') return 'complete'
          if (check.status === 'ended') return 'membership-ended'
          if (
            workflowInfo().historyLength > MAX_HISTORY_EVENTS ||
            workflowInfo().continueAsNewSuggested
          ) {
            await continueAsNew<typeof profileNudges>({ ...input, startedAt, handled, skipped })
          }
          continue
        }
      }
      const deadline = nudgeDeadline(startedAt, input.offsets, handled)
      let result: Awaited<ReturnType<Activities['sendProfileNudge']>>
      try {
        result = await nudgeUntil(deadline)(
          input.schoolId,
          input.membershipId,
          `${workflowId}:${startedAt}:nudge:${handled}`
        )
      } catch (error) {
        if (isCancellation(error)) throw error
        // Mail could not go out before the deadline: skip this nudge, keep the schedule.
        log.warn('profile nudge skipped: mail not sent before its deadline', {
          nudge: handled,
          error: (error as Error).message,
        })
        skipped += 1
        handled += 1
        continue
      }
      if (result.status === 'complete') return 'complete'
      if (result.status === 'ended') return 'membership-ended'
      if (result.status === 'quiet') {
        await sleep(result.retryInMs)
        continue
      }
      handled += 1
    }
    return skipped > 0 ? 'nudges-ended-some-skipped' : 'all-nudges-sent'
  } catch (error) {
    if (isCancellation(error)) {
      // The membership ended: nothing left to clean up, finish without failing.
      return 'membership-ended'
    }
    throw error
  }
}
