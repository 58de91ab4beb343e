import { test } from '@japa/runner'
import {
  MalformedPostingError,
  contentHash,
  normalizeJobPosting,
  normalizeLever,
} from '#services/jobs/normalize'
import { parseRetryAfter } from '#services/jobs/source_fetcher'
import { jobsFixture } from '#tests/helpers/jobs_helpers'

test.group('Job normalization', () => {
  test('schema.org JobPosting: organization, address, telecommute, salary, identifier', ({
    assert,
  }) => {
    const feed = jobsFixture('demo_feed.json')
    const job = normalizeJobPosting(feed['@graph'][3], 'fallback')
    assert.equal(job.externalId, 'demo-004')
    assert.equal(job.company, 'Tailspin Software')
    assert.isTrue(job.remote)
    assert.deepEqual(job.locations, [])
    assert.equal(job.employmentType, 'full_time')
    assert.deepEqual([job.salaryMin, job.salaryMax, job.salaryCurrency], [48000, 56000, 'USD'])
    assert.equal(job.postedAt, '2026-11-14T00:00:00.000Z')
    const located = normalizeJobPosting(feed['@graph'][0], 'fallback')
    assert.deepEqual(located.locations, ['Chicago, IL, US'])
    assert.equal(normalizeJobPosting(feed['@graph'][1], 'x').employmentType, 'internship')
    assert.equal(normalizeJobPosting(feed['@graph'][7], 'x').employmentType, 'contract')
  })

  test('malformed postings throw MalformedPostingError', ({ assert }) => {
    assert.throws(() => normalizeLever('nope', 'x'), MalformedPostingError)
    assert.throws(() => normalizeLever({ id: '1', text: '  ' }, 'x'), MalformedPostingError)
    assert.throws(
      () => normalizeJobPosting({ '@type': 'Event', 'title': 't', 'identifier': 'i' }, 'x'),
      MalformedPostingError
    )
  })

  test('the content hash ignores key order and changes with content', ({ assert }) => {
    const [posting] = jobsFixture<any[]>('lever_postings.json')
    const a = normalizeLever(posting, 'Globex')
    const b = normalizeLever(JSON.parse(JSON.stringify(posting)), 'Globex')
    assert.equal(contentHash(a), contentHash(b))
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a
    assert.notDeepEqual(Object.keys(reordered), Object.keys(a), 'the keys really are reordered')
    assert.equal(contentHash(reordered), contentHash(a))
    assert.notEqual(
      contentHash(a),
      contentHash(normalizeLever({ ...posting, text: 'Other' }, 'Globex'))
    )
  })

  test('Retry-After as seconds or an HTTP date', ({ assert }) => {
    assert.equal(parseRetryAfter('3'), 3000)
    const now = Date.parse('2026-11-28T10:00:00Z')
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 10:00:05 GMT', now), 5000)
    assert.isUndefined(parseRetryAfter('soon'))
  })
})
