/**
 * Benchmark baseline of the staff invitation's shape, without its work: an empty activity (the
 * invitation mail), a wait for a signal with a timer running (acceptance before the reminder),
 * an empty activity (the final status write). Same activity options as the invitation.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow'
import type { BenchActivities } from './activities.js'

export const sameShapeAccepted = defineSignal('accepted')

const { benchFirstStep, benchLastStep } = proxyActivities<BenchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

export async function sameShape(key: string, reminderAfterMs: number): Promise<string> {
  let accepted = false
  setHandler(sameShapeAccepted, () => {
    accepted = true
  })
  await benchFirstStep(key)
  await condition(() => accepted, reminderAfterMs)
  await benchLastStep(key)
  return accepted ? 'accepted' : 'expired'
}
