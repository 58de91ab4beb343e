import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import { HASH_CONCURRENCY, hashLimit } from '#config/hash'

/*
| Each argon2id hash holds 64 MiB while it runs: the hasher runs at most HASH_CONCURRENCY (one per
| core, 2 to 4 by default) at once and queues the rest, so a burst of sign-ins cannot make the
| process allocate 64 MiB per request.
*/
test.group('Password hashing concurrency', () => {
  test('a burst of hashes and verifications runs at most HASH_CONCURRENCY at once', async ({
    assert,
  }) => {
    const burst = 6
    let peakActive = 0
    let peakQueued = 0
    let done = false
    const sample = () => {
      peakActive = Math.max(peakActive, hashLimit.activeCount)
      peakQueued = Math.max(peakQueued, hashLimit.activeCount + hashLimit.pendingCount)
      if (!done) setImmediate(sample)
    }
    sample()
    try {
      const hashed = await Promise.all(
        Array.from({ length: burst }, (_, i) => hash.make(`password-${i}`))
      )
      const verified = await Promise.all(
        hashed.map((value, i) => hash.verify(value, `password-${i}`))
      )
      assert.deepEqual(verified, Array(burst).fill(true))
    } finally {
      done = true
    }
    assert.equal(peakActive, HASH_CONCURRENCY)
    assert.equal(peakQueued, burst)
  }).timeout(60_000)
})
