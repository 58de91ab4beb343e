import type { HttpContext } from '@adonisjs/core/http'

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
      checks: report.checks.map((check) => ({
        name: check.name,
        status: check.status,
        message: check.message,
      })),
    }
    return report.isHealthy ? response.ok(body) : response.serviceUnavailable(body)
  }
}
