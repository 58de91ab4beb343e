import { test } from '@japa/runner'
import { parseRow } from '#services/platform/cache_store'

/* Cached rows come back as pg returned them: timestamps as Dates, everything else untouched. */
test.group('Cached rows (parseRow)', () => {
  test('revives ISO timestamps at any depth and leaves every other value as it was', ({
    assert,
  }) => {
    const at = '2026-12-04T15:00:00.123Z'
    const row = parseRow<any>(
      JSON.stringify({
        gen: '7',
        token: { id: 3, expires_at: at, last_used_at: null, abilities: '["*"]' },
        user: { created_at: '2026-12-04T15:00:00Z', note: `${at} later`, day: '2026-12-04' },
        list: [at, 'plain', 1, false, [at]],
        settings: { nested: { since: at } },
      })
    )
    assert.instanceOf(row.token.expires_at, Date)
    assert.equal(row.token.expires_at.toISOString(), at)
    assert.instanceOf(row.user.created_at, Date)
    assert.instanceOf(row.list[0], Date)
    assert.instanceOf(row.list[4][0], Date)
    assert.instanceOf(row.settings.nested.since, Date)
    assert.deepEqual(
      [
        row.gen,
        row.token.id,
        row.token.last_used_at,
        row.token.abilities,
        row.user.note,
        row.user.day,
      ],
      ['7', 3, null, '["*"]', `${at} later`, '2026-12-04']
    )
    assert.deepEqual(row.list.slice(1, 4), ['plain', 1, false])
  })

  test('an own __proto__ key stays data and never becomes the prototype', ({ assert }) => {
    const row = parseRow<any>('{"__proto__": "2026-12-04T15:00:00Z", "a": {"__proto__": {"x": 1}}}')
    assert.equal(Object.getPrototypeOf(row), Object.prototype)
    assert.equal(Object.getPrototypeOf(row.a), Object.prototype)
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, '2026-12-04T15:00:00Z')
    assert.isUndefined(({} as any).x)
  })
})
