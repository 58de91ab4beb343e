import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { assertSuitesMatchFiles } from '#tests/helpers/suites'

test.group('Test suite configuration', () => {
  test('every configured suite matches at least one file', async () => {
    await assertSuitesMatchFiles(app.rcFile.tests.suites, app.makePath())
  })

  test('a suite whose glob matches nothing fails the run', async ({ assert }) => {
    const suites = [
      { name: 'unit', files: ['tests/unit/**/*.spec.ts'] },
      { name: 'typo', files: ['tests/unti/**/*.spec.ts'] },
    ]
    await assert.rejects(() => assertSuitesMatchFiles(suites, app.makePath()), /typo/)
  })
})
