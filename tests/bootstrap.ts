import { assert } from '@japa/assert'
import { apiClient, ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { assertMigrated } from '#tests/helpers/database'
import { assertSomeTestRan, assertSuitesMatchFiles } from '#tests/helpers/suites'
import { cleanTestTemporal } from '#tests/helpers/temporal'
import { validateResponseAgainstOpenApi } from '#tests/helpers/openapi_validation'

/* Every response a test receives must match the OpenAPI document (status code and schema). */
ApiClient.teardown(validateResponseAgainstOpenApi)

/*
| bin/test starts the real services and migrates the test database before Japa
| runs; this file only wires plugins and per-suite hooks.
*/
export const plugins: Config['plugins'] = [assert(), apiClient(), pluginAdonisJS(app)]

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    () => assertSuitesMatchFiles(app.rcFile.tests.suites, app.makePath()),
    () => assertMigrated(),
  ],
  // Nothing a test started keeps running (or firing) in the test namespace.
  teardown: [
    async () => {
      await cleanTestTemporal()
    },
    (runner) => assertSomeTestRan(runner.getSummary()),
  ],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['functional', 'e2e', 'security', 'conformance'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
