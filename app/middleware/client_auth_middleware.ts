import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import { openTenantTransaction, readsOnly } from '#services/platform/tenant_context'
import { principalFor, type MachinePrincipal } from '#services/identity/machine_client_service'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    machine: { principal: MachinePrincipal; trx: TransactionClientContract }
  }
}

/**
 * Machine-client routes: a client-credentials token for THIS school holding the
 * scope. Another school's client gets 404, like a user without membership.
 */
export default class ClientAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { scope: string }) {
    const header = ctx.request.header('authorization') ?? ''
    const principal = header.startsWith('Bearer ')
      ? await principalFor(header.slice(7).trim())
      : null
    if (!principal) {
      ctx.response.header('WWW-Authenticate', 'Bearer')
      throw ProblemException.unauthorized('A valid client access token is required.')
    }
    if (principal.schoolId !== ctx.params.schoolId) throw ProblemException.notFound()
    if (!principal.scopes.includes(options.scope)) {
      throw ProblemException.forbidden(`This token lacks the ${options.scope} scope.`)
    }

    const trx = await openTenantTransaction({
      schoolId: principal.schoolId,
      readOnly: readsOnly(ctx.request.method()),
    })
    try {
      ctx.machine = { principal, trx }
      await next()
      if (!trx.isCompleted) await trx.commit()
    } catch (error) {
      if (!trx.isCompleted) await trx.rollback()
      throw error
    }
  }
}
