import type { ApplicationService } from '@adonisjs/core/types'
import { registerRouteDocMacro } from '#services/platform/openapi/route_doc'

/** Adds `route.doc({...})` before start/routes.ts is preloaded. */
export default class OpenApiProvider {
  constructor(protected app: ApplicationService) {}

  boot() {
    registerRouteDocMacro()
  }
}
