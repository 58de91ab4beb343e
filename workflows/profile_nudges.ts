import {
  condition,
  continueAsNew,
  defineSignal,
  isCancellation,
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
}

export type NudgesOutcome = 'complete' | 'membership-ended' | 'all-nudges-sent'

export const profileChanged = defineSignal('profileChanged')

const { checkProfileCompletion, sendProfileNudge } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
})

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
            await continueAsNew<typeof profileNudges>({ ...input, startedAt, handled })
          }
          continue
        }
      }
      const result = await sendProfileNudge(
        input.schoolId,
        input.membershipId,
        `${workflowId}:${startedAt}:nudge:${handled}`
      )
      if (result.status === 'complete') return 'complete'
      if (result.status === 'ended') return 'membership-ended'
      if (result.status === 'quiet') {
        await sleep(result.retryInMs)
        continue
      }
      handled += 1
    }
    return 'all-nudges-sent'
  } catch (error) {
    if (isCancellation(error)) {
      // The membership ended: nothing left to clean up, finish without failing.
      return 'membership-ended'
    }
    throw error
  }
}
