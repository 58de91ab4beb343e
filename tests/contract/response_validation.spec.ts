import { test } from '@japa/runner'
import { assertResponseMatchesContract } from '#tests/helpers/openapi_validation'

/* The response validator used by every functional test (tests/bootstrap.ts) must catch lies. */
test.group('Response contract validation', () => {
  test('accepts a documented status with a matching body', () => {
    assertResponseMatchesContract('GET', '/health/live', 200, 'application/json', {}, '{}')
  })

  test('rejects an undocumented status code with a clear message', ({ assert }) => {
    assert.throws(
      () => assertResponseMatchesContract('GET', '/health/live', 418, 'application/json', {}, '{}'),
      /status 418 is not documented for GET \/health\/live/
    )
  })

  test('rejects a problem body that does not match the Problem schema', ({ assert }) => {
    assert.throws(
      () =>
        assertResponseMatchesContract(
          'GET',
          '/health/ready',
          503,
          'application/problem+json',
          { title: 'x', status: '503' },
          '{}'
        ),
      /does not match the documented schema/
    )
  })

  test('rejects a wrong property type in a documented success body', ({ assert }) => {
    assert.throws(
      () =>
        assertResponseMatchesContract(
          'GET',
          '/health/ready',
          200,
          'application/json',
          { status: 'ok', checks: 'none' },
          '{}'
        ),
      /\/checks must be array/
    )
  })
})
