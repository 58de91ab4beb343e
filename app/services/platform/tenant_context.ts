import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Membership from '#models/tenancy/membership'
import type School from '#models/tenancy/school'
import type { Permission } from '#services/tenancy/permissions'

/** What a request inside `/v1/schools/:schoolId` knows about its school. */
export interface TenantContext {
  schoolId: string
  /** null for a platform admin acting in a school they are not a member of */
  membershipId: string | null
  /** the models, built on first read (most routes need the ids alone) */
  school: School
  membership: Membership | null
  permissions: Set<Permission>
  /** Admin permissions held but unusable until the caller enrolls a second factor. */
  withheld?: ReadonlySet<Permission>
  /** Every tenant query of the request goes through this transaction (RLS context is set on it). */
  trx: TransactionClientContract
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    tenant: TenantContext
  }
}

/*
| The RLS settings travel with BEGIN: knex's PostgreSQL transaction sends `BEGIN;` on its own
| and the settings would be a second round trip, on every tenant request. A transaction opened
| with `rlsSettings` sends `BEGIN; SELECT set_config(...)` as one simple-protocol query instead
| (values escaped as literals by pg's escapeLiteral, so no value can end the statement).
|
| On a pipelined connection (`pipeline: true`, config/database.ts) that query is not awaited:
| the transaction's first query is written right behind it, and both are answered in one round
| trip. PostgreSQL runs them in order on the one connection, so the query always runs after BEGIN
| and the settings. If that BEGIN query failed (only a lost connection can fail it: its text is
| fixed and every value escaped), knex marks the transaction failed and rejects what follows;
| a query already written behind it runs either in the aborted transaction (refused) or, had BEGIN
| itself not run, without settings, where RLS shows no tenant rows and refuses tenant writes.
| Any other transaction is left to knex.
|
| A read-only one (`readOnly: true`: GET and HEAD school routes) is `BEGIN READ ONLY`, so a write
| in it fails instead of happening, and its COMMIT is not waited for either: the transaction
| completes as COMMIT is written, its connection goes back to the pool, and the next transaction's
| BEGIN queues behind the COMMIT on that connection (often in the same socket write). A read-only
| COMMIT has nothing to lose; only a lost connection can fail it, and then whatever was queued
| behind it fails too. Were it ever not run, the next `BEGIN; SELECT set_config(...)` would still
| set that transaction's own settings before its first query.
*/
const RLS_SETTINGS = 'rlsSettings'
const require = createRequire(import.meta.url)
const TransactionPG = require('knex/lib/dialects/postgres/execution/pg-transaction.js')
const { escapeLiteral } = require('pg') as { escapeLiteral: (value: string) => string }
if (!TransactionPG.prototype.__pathwaysRls) {
  const evaluate = TransactionPG.prototype._evaluateContainer
  const begin = TransactionPG.prototype.begin
  const commit = TransactionPG.prototype.commit
  Object.assign(TransactionPG.prototype, {
    __pathwaysRls: true,
    _evaluateContainer(this: any, config: any, container: unknown) {
      this[RLS_SETTINGS] = config?.[RLS_SETTINGS]
      return evaluate.call(this, config, container)
    },
    begin(this: any, conn: PipelinedConnection) {
      const settings = this[RLS_SETTINGS] as Record<string, string> | undefined
      if (!settings || this.isolationLevel) return begin.call(this, conn)
      const calls = Object.entries(settings)
        .map(([name, value]) => `set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`)
        .join(', ')
      /*
      | Corked until the end of this turn of the event loop: the first query, when the request
      | reaches it without waiting for I/O (the usual case), leaves in the same socket write as
      | BEGIN (a write on loopback costs a syscall and a wake-up of the server process).
      */
      corkForThisTurn(conn)
      const sent = this.query(conn, `BEGIN${this.readOnly ? ' READ ONLY' : ''}; SELECT ${calls};`)
      // knex's transaction query handles its own failure (marks the transaction failed).
      return conn.pipeline ? Promise.resolve() : sent
    },
    commit(this: any, conn: PipelinedConnection, value: unknown) {
      if (!this[RLS_SETTINGS] || !this.readOnly || !conn.pipeline) {
        return commit.call(this, conn, value)
      }
      corkForThisTurn(conn)
      // (a failure is knex's to record; the transaction is already complete for its caller)
      this.query(conn, 'COMMIT;')
      this._completed = true
      this._resolver(value)
      return Promise.resolve()
    },
  })
}

interface PipelinedConnection {
  pipeline?: boolean
  connection?: { stream?: Writable }
}

function corkForThisTurn(conn: PipelinedConnection) {
  const stream = conn.pipeline ? conn.connection?.stream : undefined
  if (!stream) return
  stream.cork()
  setImmediate(() => stream.uncork())
}

const READ_ONLY_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD'])

/** Whether a request with this method gets a read-only tenant transaction: GET and HEAD change nothing. */
export function readsOnly(method: string) {
  return READ_ONLY_METHODS.has(method)
}

/**
 * Opens a transaction whose row-level-security context is the given school and
 * user, in one round trip. `set_config(..., true)` is SET LOCAL: it ends with the
 * transaction, so a pooled connection never carries one school's context into another request.
 */
export async function openTenantTransaction(options: {
  schoolId?: string | null
  userId?: string | null
  platformScope?: boolean
  /** `BEGIN READ ONLY`; its COMMIT is not waited for (see above) */
  readOnly?: boolean
}) {
  const client = db.connection() as unknown as {
    transaction(callback: undefined, options: object): Promise<TransactionClientContract>
  }
  return client.transaction(undefined, {
    readOnly: options.readOnly === true,
    [RLS_SETTINGS]: {
      'app.school_id': options.schoolId ?? '',
      'app.user_id': options.userId ?? '',
      'app.platform_scope': options.platformScope ? 'on' : '',
    },
  })
}

/** Runs `work` inside a transaction with the given RLS context; commits on success. */
export async function withTenant<T>(
  options: Parameters<typeof openTenantTransaction>[0],
  work: (trx: TransactionClientContract) => Promise<T>
): Promise<T> {
  const trx = await openTenantTransaction(options)
  try {
    const result = await work(trx)
    await trx.commit()
    return result
  } catch (error) {
    await trx.rollback()
    throw error
  }
}
