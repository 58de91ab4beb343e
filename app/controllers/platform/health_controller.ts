import type { HttpContext } from '@adonisjs/core/http'
import HealthCheckTransformer from '#transformers/platform/health_check_transformer'

export default class HealthController {
  /** Liveness: the process serves HTTP. Never touches a dependency. */
  live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /** Readiness: every dependency answers. 503 lists what is failing (no internals). */
  async ready({ response }: HttpContext) {
    const { healthChecks } = await import('#start/health')
    const report = await healthChecks.run()
    const body = {
      status: report.status,
      checks: HealthCheckTransformer.collection(report.checks),
    }
    if (report.isHealthy) return response.ok(body)
    // Like every dependency failure: 503 problem+json (the checks as an extension member).
    return response
      .status(503)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .header('Retry-After', '5')
      .send(
        JSON.stringify({
          type: 'https://pathways.dev/problems/dependency-unavailable',
          title: 'Service Unavailable',
          status: 503,
          detail: 'At least one dependency is failing.',
          checks: body.checks,
        })
      )
  }
}
