import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client'
import type { TemporalConfig } from '#config/temporal'
import { withTenant } from '#services/platform/tenant_context'
import {
  searchAttributePairs,
  signalDefinitions,
  type StoredSearchAttribute,
  type WorkflowIntent,
  workflowTypes,
} from '#workflows/client'

/*
| Write, then start: a request writes its workflow intents in its own transaction
| (`enqueue`); the relay (`dispatchPending`, run by the worker process, and once
| right after the commit by the API as a fast path) delivers them with the
| workflow's deterministic id and marks them done. Delivery is idempotent: an id
| that already runs for this row (memo `outboxId`) counts as delivered.
|
| Rows written for the fast path are reserved for it (`next_attempt_at` a few seconds ahead),
| so the worker's relay does not take them in between: the fast path claims its never-tried
| rows by id, hands back at once the ones it cannot deliver yet, and never waits on the relay.
| If the API dies after the commit, the reservation runs out and the relay delivers them.
*/

/** How long rows written for the fast path are left to it before the relay may take them. */
const FAST_PATH_RESERVATION_MS = 5000

export interface OutboxRow {
  id: string
  seq: string
  school_id: string | null
  kind: 'start' | 'signal' | 'cancel'
  workflow_type: string | null
  workflow_id: string
  signal_name: string | null
  task_queue: string | null
  payload: { args?: unknown[]; searchAttributes?: StoredSearchAttribute[] }
  status: 'pending' | 'done' | 'failed'
  attempts: number
  last_error: string | null
}

export type RelaySettings = TemporalConfig['outbox']

export function relaySettings(): RelaySettings {
  return app.config.get<TemporalConfig>('temporal').outbox
}

/**
 * Records intents in the caller's transaction (RLS: the row's school must be the
 * transaction's, or none). Returns the row ids, for `dispatchSoon`/`dispatchIds`; the rows
 * are reserved for that fast path unless `forRelay` (then the relay's next round takes them).
 */
export async function enqueue(
  trx: TransactionClientContract,
  schoolId: string | null,
  intents: WorkflowIntent[],
  options: { forRelay?: boolean } = {}
): Promise<string[]> {
  if (intents.length === 0) return []
  const reservedUntil = options.forRelay ? null : new Date(Date.now() + FAST_PATH_RESERVATION_MS)
  const rows = intents.map((intent) => ({
    id: crypto.randomUUID(),
    school_id: schoolId,
    kind: intent.kind,
    workflow_type: intent.kind === 'start' ? intent.workflowType : null,
    workflow_id: intent.workflowId,
    signal_name: intent.kind === 'signal' ? intent.signalName : null,
    task_queue: intent.kind === 'start' ? (intent.taskQueue ?? null) : null,
    payload: JSON.stringify(
      intent.kind === 'start'
        ? { args: intent.args, searchAttributes: intent.searchAttributes }
        : intent.kind === 'signal'
          ? { args: intent.args }
          : {}
    ),
    ...(reservedUntil ? { next_attempt_at: reservedUntil } : {}),
  }))
  await trx.table('workflow_outbox').multiInsert(rows)
  return rows.map((row) => row.id)
}

/**
 * After the transaction commits, try to deliver these rows before the response leaves
 * (bounded by the fast-path deadline; on failure the relay delivers them).
 */
export function dispatchSoon(trx: TransactionClientContract, ids: string[]) {
  if (ids.length === 0) return
  trx.after('commit', async () => {
    await dispatchIds(ids).catch((error) =>
      logger.warn({ err: error }, 'outbox fast path failed; the relay will deliver')
    )
  })
}

/**
 * Outside a request transaction: records the intents in a transaction of their own, then
 * delivers them now when Temporal answers (else the relay does).
 */
export async function enqueueAndDispatch(schoolId: string | null, intents: WorkflowIntent[]) {
  const ids = await withTenant({ schoolId }, (trx) => enqueue(trx, schoolId, intents))
  await dispatchIds(ids).catch(() => false)
}

/** Delivery budget of the API's fast path: past it, the request answers and the relay delivers. */
const FAST_PATH_DEADLINE_MS = 1500

/**
 * Delivers these never-tried rows now; true when all of them are done. Rows it cannot take
 * (a signal whose start is still pending) are handed to the relay at once.
 */
export async function dispatchIds(ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true
  const client = await app.container.make('temporal.client')
  const result = await relayRound(client, { ids, deadlineMs: FAST_PATH_DEADLINE_MS })
  if (result.delivered === ids.length) return true
  // One statement: release what this round did not claim, and count what is still not done
  // (a row written for the relay may have been delivered by it already).
  const released = await withTenant({ platformScope: true }, (trx) =>
    trx.rawQuery<{ rows: { open: number }[] }>(
      `with released as (
         update workflow_outbox set next_attempt_at = now()
          where id = any(?::uuid[]) and status = 'pending' and attempts = 0
       )
       select count(*)::int as open from workflow_outbox
        where id = any(?::uuid[]) and status <> 'done'`,
      [ids, ids]
    )
  )
  return released.rows[0].open === 0
}

/** One relay round over due rows (the worker loop calls it). */
export async function dispatchPending(client: Client) {
  return relayRound(client, {})
}

class RetryLater extends Error {}
class Undeliverable extends Error {}

async function claim(options: { ids?: string[] }, settings: RelaySettings) {
  return withTenant({ platformScope: true }, async (trx) => {
    const result = await trx.rawQuery<{ rows: OutboxRow[] }>(
      `update workflow_outbox o
          set next_attempt_at = now() + (? * interval '1 millisecond'), attempts = attempts + 1
        where o.id in (
          select c.id from workflow_outbox c
           where c.status = 'pending'
             -- the fast path takes its own never-tried rows (reserved for it); the relay, due rows
             and ${options.ids ? 'c.attempts = 0 and c.id = any(?::uuid[])' : 'c.next_attempt_at <= now()'}
             -- a signal waits for the earlier start of the same workflow
             and not exists (select 1 from workflow_outbox e
                              where e.workflow_id = c.workflow_id and e.status = 'pending'
                                and e.seq < c.seq)
           order by c.seq
           limit ?
           for update skip locked)
        returning o.*`,
      [settings.leaseMs, ...(options.ids ? [options.ids] : []), settings.batchSize]
    )
    return result.rows.sort((a, b) => Number(a.seq) - Number(b.seq))
  })
}

async function settle(
  row: OutboxRow,
  outcome: { done: true } | { failed: string } | { retryInMs: number; error: string }
) {
  await withTenant({ platformScope: true }, (trx) => {
    const query = trx.from('workflow_outbox').where({ id: row.id, status: 'pending' })
    if ('done' in outcome) {
      return query.update({ status: 'done', done_at: new Date(), last_error: null })
    }
    if ('failed' in outcome) {
      return query.update({ status: 'failed', done_at: new Date(), last_error: outcome.failed })
    }
    return query.update({
      next_attempt_at: new Date(Date.now() + outcome.retryInMs),
      last_error: outcome.error.slice(0, 1000),
    })
  })
}

function backoff(attempts: number, settings: RelaySettings) {
  const base = Math.min(
    settings.maxBackoffMs,
    settings.initialBackoffMs * 2 ** Math.max(0, attempts - 1)
  )
  return Math.round(base * (0.5 + Math.random() / 2))
}

async function relayRound(client: Client, options: { ids?: string[]; deadlineMs?: number }) {
  const settings = relaySettings()
  const rows = await claim(options, settings)
  let delivered = 0
  let unavailable: Error | null = null
  // one delivery budget for the whole request, not per row
  const deadline = options.deadlineMs ? Date.now() + options.deadlineMs : null
  for (const row of rows) {
    if (unavailable) {
      // Temporal is down: do not hammer it row by row; retry the rest later.
      await settle(row, { retryInMs: backoff(row.attempts, settings), error: unavailable.message })
      continue
    }
    try {
      const deliver = () => deliverRow(client, row)
      if (deadline) {
        await client.connection.withDeadline(deadline, deliver)
      } else {
        await deliver()
      }
      await settle(row, { done: true })
      delivered += 1
    } catch (error) {
      if (error instanceof Undeliverable) {
        logger.error({ outboxId: row.id, err: error }, 'outbox row cannot be delivered')
        await settle(row, { failed: error.message })
        continue
      }
      if (!(error instanceof RetryLater)) unavailable = error as Error
      await settle(row, {
        retryInMs: backoff(row.attempts, settings),
        error: (error as Error).message ?? String(error),
      })
    }
  }
  return { claimed: rows.length, delivered, unavailable }
}

async function deliverRow(client: Client, row: OutboxRow) {
  const handle = client.workflow.getHandle(row.workflow_id)
  const args = row.payload.args ?? []
  if (row.kind === 'signal') {
    const definition = signalDefinitions.get(row.signal_name ?? '')
    if (!definition) throw new Undeliverable(`unknown signal ${row.signal_name}`)
    try {
      await handle.signal(definition, ...args)
    } catch (error) {
      // The workflow has finished (or never existed): nothing left to tell it.
      if (!(error instanceof WorkflowNotFoundError)) throw error
    }
    return
  }
  if (row.kind === 'cancel') {
    try {
      await handle.cancel()
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error
    }
    return
  }

  const workflow = workflowTypes[row.workflow_type as keyof typeof workflowTypes]
  if (!workflow) throw new Undeliverable(`unknown workflow type ${row.workflow_type}`)
  // A previous attempt may have started it and died before marking the row.
  if (row.attempts > 1 && (await startedByThisRow(client, row))) return
  try {
    await client.workflow.start(workflow as (...a: unknown[]) => Promise<unknown>, {
      taskQueue: row.task_queue ?? app.config.get<TemporalConfig>('temporal').taskQueue,
      workflowId: row.workflow_id,
      args,
      typedSearchAttributes: searchAttributePairs(row.payload.searchAttributes ?? []),
      memo: { outboxId: row.id },
    })
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
    if (await startedByThisRow(client, row)) return
    // An earlier run of the same id (a previous invitation to this address) is still
    // closing: start ours once it has ended.
    throw new RetryLater(`workflow ${row.workflow_id} is still running an earlier request`)
  }
}

async function startedByThisRow(client: Client, row: OutboxRow) {
  try {
    const described = await client.workflow.getHandle(row.workflow_id).describe()
    return (described.memo as { outboxId?: string } | undefined)?.outboxId === row.id
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false
    throw error
  }
}

/** Rows not delivered yet (the reconciler's report and the readiness detail). */
export async function outboxBacklog() {
  return withTenant({ platformScope: true }, async (trx) => {
    const [row] = await trx
      .from('workflow_outbox')
      .where('status', 'pending')
      .select(trx.raw('count(*)::int as pending'), trx.raw('min(created_at) as oldest'))
    return { pending: Number(row.pending), oldest: row.oldest as Date | null }
  })
}

/** Deletes delivered rows older than `olderThanMs` (the payload holds encrypted tokens). */
export async function pruneDelivered(olderThanMs: number) {
  return withTenant({ platformScope: true }, (trx) =>
    trx
      .from('workflow_outbox')
      .where('status', 'done')
      .where('done_at', '<', new Date(Date.now() - olderThanMs))
      .delete()
  )
}
