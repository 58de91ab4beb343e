import { BaseCheck, Result } from '@adonisjs/health'
import type { HealthCheckResult } from '@adonisjs/health/types'

/** Each dependency gets this long: the whole probe answers well within a 5 s probe timeout. */
export const CHECK_TIMEOUT_MS = 2000

/**
 * Runs a freshly built check with a time bound: a dependency that hangs (no RST, a full
 * pool, an offline queue) fails readiness within CHECK_TIMEOUT_MS instead of stalling the
 * probe. Building the check per run follows the connection the app uses now (a pool
 * replaced after an outage or a configuration change), never one captured at boot.
 */
export class BoundedCheck extends BaseCheck {
  constructor(
    readonly name: string,
    private readonly build: () => BaseCheck,
    private readonly timeoutMs = CHECK_TIMEOUT_MS
  ) {
    super()
  }

  async run(): Promise<HealthCheckResult> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<HealthCheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve(Result.failed(`${this.name} did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs
      )
    })
    try {
      return await Promise.race([
        this.build()
          .run()
          .catch((error: Error) => Result.failed(`${this.name} check failed`, error)),
        timedOut,
      ])
    } finally {
      clearTimeout(timer)
    }
  }
}
