import type { HttpContext } from '@adonisjs/core/http'
import { recordTenantAudit, requestMeta } from '#middleware/request_meta'
import {
  createMachineClientValidator,
  rosterSyncValidator,
  tokenRequestValidator,
} from '#validators/identity/machine_clients'
import {
  createClient,
  issueToken,
  listClients,
  revokeClient,
  rotateSecret,
  scopePermissions,
} from '#services/identity/machine_client_service'
import { assertWithinCeiling } from '#services/tenancy/role_ceiling'
import { syncRoster } from '#services/tenancy/roster_sync_service'
import { recordAudit } from '#services/platform/audit_service'
import { ProblemException } from '#exceptions/problem_exception'
import MachineClientTransformer from '#transformers/identity/machine_client_transformer'

const invalidClient = () =>
  new ProblemException(401, 'invalid-client', 'Unauthorized', 'Client authentication failed.')

/** `id:secret`, each form-urlencoded (RFC 6749 §2.3.1); null when the header is malformed. */
function basicCredentials(encoded: string) {
  const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) return null
  try {
    const unescape = (part: string) => decodeURIComponent(part.replaceAll('+', ' '))
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) }
  } catch {
    return null
  }
}

export default class MachineClientsController {
  /** POST /v1/oauth/token — client_secret_post or HTTP Basic (RFC 6749 §2.3.1). */
  async token(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(tokenRequestValidator)
    let { client_id: clientId, client_secret: clientSecret } = input
    const basic = ctx.request.header('authorization')
    if (basic?.startsWith('Basic ')) {
      const credentials = basicCredentials(basic.slice(6))
      clientId = credentials?.id
      clientSecret = credentials?.secret
    }
    if (!clientId || !clientSecret) throw invalidClient()
    ctx.response.header('cache-control', 'no-store')
    return issueToken(clientId, clientSecret, input.scope)
  }

  async index({ bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    const rows = await listClients(tenant.trx, tenant.schoolId)
    return { data: MachineClientTransformer.collection(rows) }
  }

  async store(ctx: HttpContext) {
    const { bouncer, tenant } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    const input = await ctx.request.validateUsing(createMachineClientValidator)
    await assertWithinCeiling(tenant.trx, tenant.schoolId, tenant.permissions, {
      permissions: scopePermissions(input.scopes),
    })
    const created = await createClient(tenant.trx, tenant.schoolId, input.name, input.scopes)
    await recordTenantAudit(ctx, {
      action: 'machine_client.created',
      targetType: 'machine_client',
      targetId: created.row.id,
      changes: input,
    })
    return ctx.response.created(MachineClientTransformer.issued(created))
  }

  async rotate(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    const rotated = await rotateSecret(tenant.trx, tenant.schoolId, params.clientId)
    await recordTenantAudit(ctx, {
      action: 'machine_client.rotated',
      targetType: 'machine_client',
      targetId: params.clientId,
    })
    return MachineClientTransformer.issued(rotated)
  }

  async destroy(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    await revokeClient(tenant.trx, tenant.schoolId, params.clientId)
    await recordTenantAudit(ctx, {
      action: 'machine_client.revoked',
      targetType: 'machine_client',
      targetId: params.clientId,
    })
    return ctx.response.noContent()
  }

  /** Bulk, idempotent roster upsert by a school's SIS (scope roster.write). */
  async rosterSync(ctx: HttpContext) {
    const { learners } = await ctx.request.validateUsing(rosterSyncValidator)
    const { principal, trx } = ctx.machine
    const results = await syncRoster(
      trx,
      principal.schoolId,
      learners,
      scopePermissions(principal.scopes)
    )
    const summary = { created: 0, updated: 0, unchanged: 0, failed: 0 }
    for (const result of results) summary[result.status]++
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'roster.synced',
        schoolId: principal.schoolId,
        actorService: `client:${principal.machineClientId}`,
        targetType: 'roster',
        changes: summary,
      },
      trx
    )
    return { summary, results }
  }
}
