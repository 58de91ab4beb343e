import { test } from '@japa/runner'
import { nudgeDeadline } from '#workflows/profile_nudges'

test.group('profileNudges: a nudge mail is retried until its business deadline', () => {
  const start = Date.parse('2026-01-01T00:00:00Z')
  const offsets = ['2 days', '7 days', '14 days']
  const day = 86_400_000

  test('each nudge is worth sending until the next one is due', ({ assert }) => {
    assert.equal(nudgeDeadline(start, offsets, 0), start + 7 * day)
    assert.equal(nudgeDeadline(start, offsets, 1), start + 14 * day)
  })

  test('the last one for as long as the gap before it, at least 10 s', ({ assert }) => {
    assert.equal(nudgeDeadline(start, offsets, 2), start + 21 * day)
    assert.equal(nudgeDeadline(start, ['1s'], 0), start + 11_000)
  })
})
