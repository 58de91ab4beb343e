import type { ApplicationService } from '@adonisjs/core/types'

type KnexTransaction = {
  commit: (...args: unknown[]) => Promise<unknown>
  executionPromise?: Promise<unknown>
}

/**
 * knex resolves `trx.commit()` even when the COMMIT itself fails (a connection terminated
 * by a PostgreSQL restart): the error only rejects the transaction's `executionPromise`.
 * Lucid awaits `commit()` alone, so a request whose COMMIT failed answered 2xx for a write
 * that was never stored. This makes every Lucid commit wait for the outcome and throw when
 * it failed (the error handler answers 503), before any after-commit hook runs.
 */
export default class DatabaseCommitProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    // TransactionClient is not exported: reach it beside the public database entry point.
    const entry = import.meta.resolve('@adonisjs/lucid/database')
    const { TransactionClient } = await import(
      new URL('../transaction_client/index.js', entry).href
    )
    if (TransactionClient.prototype.commit.__awaitsOutcome) return
    const commit = TransactionClient.prototype.commit
    const checkedCommit = async function (this: { knexClient: KnexTransaction }) {
      const knexTrx = this.knexClient
      const knexCommit = knexTrx.commit
      knexTrx.commit = async (...args: unknown[]) => {
        const result = await knexCommit.apply(knexTrx, args)
        await knexTrx.executionPromise
        return result
      }
      return commit.call(this)
    }
    Object.assign(checkedCommit, { __awaitsOutcome: true })
    TransactionClient.prototype.commit = checkedCommit
  }
}
