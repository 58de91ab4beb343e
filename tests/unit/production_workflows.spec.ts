import { test } from '@japa/runner'
import * as production from '#workflows/index'
import * as testWorkers from '#tests/helpers/test_workflows'

test.group('Production worker bundle', () => {
  test('holds no benchmark or test-only workflow (noop); test workers add it', ({ assert }) => {
    assert.notProperty(production, 'noop')
    assert.properties(production, [
      'staffInvitation',
      'profileNudges',
      'mfaRecovery',
      'jobIngestion',
    ])
    assert.property(testWorkers, 'noop')
  })
})
