import type { HttpContext } from '@adonisjs/core/http'
import HealthCheckTransformer from '#transformers/platform/health_check_transformer'

type HealthReport = Awaited<ReturnType<(typeof import('#start/health'))['healthChecks']['run']>>

/**
 * Probes are not rate-limited, so a flood of them must not become a flood of dependency checks:
 * probes that arrive while the checks run share that run's report.
 */
let running: Promise<HealthReport> | null = null

function runChecks(): Promise<HealthReport> {
  running ??= import('#start/health')
    .then(({ healthChecks }) => healthChecks.run())
    .finally(() => {
      running = null
    })
  return running
}

export default class HealthController {
  /** Liveness: the process serves HTTP. Never touches a dependency. */
  live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /** Readiness: every dependency answers. 503 lists what is failing (no internals). */
  async ready({ response }: HttpContext) {
    const report = await runChecks()
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
