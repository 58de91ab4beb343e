/*
| Activity options shared by the workflows (pure values: safe inside the workflow sandbox).
| Retries are bounded by business deadlines, not attempt counts.
*/
import type { ActivityOptions } from '@temporalio/workflow'

/** Writes to a row that is the source of truth: retried until the database answers. */
export const recordOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
}

/**
 * A mail retried for `windowMs` (at least a minute), the step's business window; an
 * undecryptable token is not retried at all.
 */
export function mailOptions(windowMs: number): ActivityOptions {
  return {
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: Math.max(60_000, windowMs),
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      nonRetryableErrorTypes: ['TokenUndecryptable'],
    },
  }
}
