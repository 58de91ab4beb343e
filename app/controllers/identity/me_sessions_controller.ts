import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { currentFamilyId } from '#services/identity/session_service'
import { requireRecentAuthentication } from '#services/identity/step_up_service'
import {
  listDevices,
  listSessions,
  revokeDevice,
  revokeSession,
  trustDevice,
} from '#services/identity/device_service'

/** The caller's sessions (refresh families) and devices. Other users' ids answer 404. */
export default class MeSessionsController {
  async sessions(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    return { data: await listSessions(user.id, currentFamilyId(user)), nextCursor: null }
  }

  async destroySession(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await revokeSession(requestMeta(ctx), user.id, ctx.params.id)
    return ctx.response.noContent()
  }

  async devices(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    return { data: await listDevices(user.id, currentFamilyId(user)), nextCursor: null }
  }

  async trust(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await requireRecentAuthentication(user)
    return trustDevice(requestMeta(ctx), user.id, ctx.params.id)
  }

  async destroyDevice(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await revokeDevice(requestMeta(ctx), user.id, ctx.params.id)
    return ctx.response.noContent()
  }
}
