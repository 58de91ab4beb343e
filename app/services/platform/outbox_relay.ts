import logger from '@adonisjs/core/services/logger'
import type { Client } from '@temporalio/client'
import {
  dispatchPending,
  outboxBacklog,
  pruneDelivered,
  relaySettings,
} from '#services/platform/workflow_outbox'
import { reconcileInvitations, reconcileRecoveries } from '#services/platform/workflow_reconciler'

export interface OutboxRelayOptions {
  /** pause between rounds when nothing was due */
  intervalMs?: number
  /** how often the reconciler runs */
  reconcileEveryMs?: number
}

/**
 * The relay loop of the worker process: delivers due outbox rows, then sleeps
 * `intervalMs` (none while a round was full). Every `reconcileEveryMs` the reconciler
 * repairs rows whose workflow is gone and prunes delivered rows. `stop()` finishes
 * the current round.
 */
export function startOutboxRelay(client: Client, options: OutboxRelayOptions = {}) {
  const intervalMs = options.intervalMs ?? relaySettings().pollMs
  const reconcileEveryMs = options.reconcileEveryMs ?? 60_000
  let stopping = false
  let wake: (() => void) | null = null
  let lastReconcile = 0

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const loop = (async () => {
    while (!stopping) {
      let full = false
      try {
        const round = await dispatchPending(client)
        full = round.claimed > 0 && !round.unavailable && round.delivered === round.claimed
        if (Date.now() - lastReconcile >= reconcileEveryMs) {
          lastReconcile = Date.now()
          await reconcile(client)
        }
      } catch (error) {
        // The database is unreachable: try again after the pause.
        logger.warn({ err: error }, 'outbox relay round failed')
      }
      if (!stopping && !full) await pause(intervalMs)
    }
  })()

  return {
    async stop() {
      stopping = true
      wake?.()
      await loop
    },
  }
}

async function reconcile(client: Client) {
  const repaired = (await reconcileInvitations(client)) + (await reconcileRecoveries(client))
  await pruneDelivered(7 * 24 * 3600 * 1000)
  const backlog = await outboxBacklog()
  if (repaired > 0 || backlog.pending > 0) {
    logger.info({ repaired, ...backlog }, 'outbox reconciler')
  }
}
