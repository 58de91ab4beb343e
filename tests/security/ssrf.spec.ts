import { hostname } from 'node:os'
import { lookup } from 'node:dns/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { TemporalConfig } from '#config/temporal'
import { outboundHttpSettings } from '#config/outbound_http'
import { resetState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { startTestWorker } from '#tests/helpers/temporal'
import {
  allowOutbound,
  eventually,
  insertSource,
  sendJson,
  startBoardServer,
} from '#tests/helpers/jobs_helpers'
import { deleteSchedule } from '#services/jobs/schedule_service'
import { fetchJson, sourcePages, SourceFetchError } from '#services/jobs/source_fetcher'

const fast = { backoffMs: 10, maxAttempts: 2 }
const feed = [
  {
    '@type': 'JobPosting',
    'identifier': 'f-1',
    'title': 'Welder',
    'hiringOrganization': { name: 'Acme' },
  },
]

/** What a refused fetch must look like: the generic error, and not one request made. */
async function assertRefused(assert: any, attempt: Promise<unknown>, requests: string[]) {
  const error = await attempt.then(
    () => null,
    (e) => e
  )
  assert.instanceOf(error, SourceFetchError, String(error))
  assert.equal(error.message, 'fetch failed: refused address')
  assert.isFalse(error.retryable)
  assert.deepEqual(requests, [], 'no connection was made')
}

test.group('SSRF: job sources never reach internal addresses', (group) => {
  const schedules: string[] = []
  group.each.setup(async () => {
    await resetState()
    return async () => {
      for (const id of schedules.splice(0)) await deleteSchedule(id)
    }
  })

  test('an admin creates a json_feed source at http://127.0.0.1:<port> and runs it: refused, no connection made', async ({
    client,
    assert,
    cleanup,
  }) => {
    const config = app.config.get<TemporalConfig>('temporal')
    const worker = await startTestWorker(config.taskQueue)
    cleanup(() => worker.stop())
    const internal = await startBoardServer((_req, res) => sendJson(res, 200, feed))
    cleanup(() => internal.close())
    const admin = await createUser('root@platform.test', { platformAdmin: true })
    const { accessToken } = await login(admin.email)

    const created = await client
      .post('/v1/platform/job-sources')
      .bearerToken(accessToken)
      .json({ name: 'Internal', kind: 'json_feed', url: `${internal.url}/admin/feed.json` })
    if (created.status() === 201) schedules.push(created.body().id)
    created.assertStatus(422)
    assert.equal(created.header('content-type'), 'application/problem+json; charset=utf-8')
    assert.equal(created.body().errors[0].field, 'url')

    // a row written before the rule existed (or by another path) is refused at fetch time
    const legacy = await insertSource({
      kind: 'json_feed',
      url: `${internal.url}/admin/feed.json`,
      name: 'Legacy internal',
    })
    const { upsertSchedule } = await import('#services/jobs/schedule_service')
    await upsertSchedule({
      id: legacy.id,
      name: legacy.name,
      intervalMinutes: 60,
      status: 'active',
    })
    schedules.push(legacy.id)
    const run = await client
      .post(`/v1/platform/job-sources/${legacy.id}/run`)
      .bearerToken(accessToken)
    run.assertStatus(202)
    const finished = await eventually(async () => {
      const runs = await client
        .get(`/v1/platform/job-sources/${legacy.id}/runs`)
        .bearerToken(accessToken)
      const [latest] = runs.body().data
      return latest && latest.status !== 'running' ? latest : null
    }, 40_000)
    assert.equal(finished.status, 'failed')
    assert.equal(finished.error, 'fetch failed: refused address')
    assert.deepEqual(internal.requests, [], 'the worker made no connection')
  }).timeout(60_000)

  test('literal internal addresses in every spelling are refused at create and update (422)', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('north')
    const staff = await createUser('staff@north.test')
    await addMember(school.id, staff.id, 'staff')
    const { accessToken } = await login(staff.email)
    const base = `/v1/schools/${school.id}/job-sources`
    const urls = [
      'http://127.0.0.1:6379/',
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0.0.0.0:5432/',
      'http://localhost:9200/',
      'http://[::1]:7233/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.100.100.200/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.5/',
      'http://172.16.1.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://224.0.0.1/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[ff02::1]/',
      'http://[::]/',
    ]
    for (const url of urls) {
      const response = await client
        .post(base)
        .bearerToken(accessToken)
        .json({ name: 'x', kind: 'json_feed', url, paused: true })
      assert.equal(response.status(), 422, url)
      assert.equal(response.body().errors?.[0]?.field, 'url', url)
    }
    // greenhouse/lever API bases are checked too
    const lever = await client
      .post(base)
      .bearerToken(accessToken)
      .json({ name: 'x', kind: 'lever', boardToken: 'x', url: 'http://127.0.0.1:8080' })
    lever.assertStatus(422)

    const [row] = await asOwner((trx) =>
      trx
        .table('job_sources')
        .insert({
          school_id: school.id,
          name: 'Public',
          kind: 'json_feed',
          url: 'https://feed.example/jobs.json',
        })
        .returning('*')
    )
    const update = await client
      .patch(`${base}/${row.id}`)
      .bearerToken(accessToken)
      .json({ url: 'http://169.254.169.254/latest/meta-data/' })
    update.assertStatus(422)
    assert.equal(update.body().errors[0].field, 'url')
    const [after] = await asOwner((trx) => trx.from('job_sources').where('id', row.id))
    assert.equal(after.url, 'https://feed.example/jobs.json')
  })

  test('fetch time: literal and resolved internal addresses are refused before connecting', async ({
    assert,
    cleanup,
  }) => {
    const internal = await startBoardServer((_req, res) => sendJson(res, 200, feed))
    cleanup(() => internal.close())
    const port = new URL(internal.url).port
    for (const url of [
      `http://127.0.0.1:${port}/feed`,
      `http://2130706433:${port}/feed`,
      `http://[::ffff:127.0.0.1]:${port}/feed`,
      `http://[::ffff:7f00:1]:${port}/feed`,
      `http://localhost:${port}/feed`,
    ]) {
      await assertRefused(assert, fetchJson(url, fast), internal.requests)
    }
    // a hostname (not a literal) that resolves to loopback: refused after the lookup
    const name = hostname()
    const resolved = await lookup(name)
    assert.match(resolved.address, /^127\./, `${name} resolves to loopback on this machine`)
    await assertRefused(assert, fetchJson(`http://${name}:${port}/feed`, fast), internal.requests)
  })

  test('redirect hops are checked again: a public board redirecting inward is refused', async ({
    assert,
    cleanup,
  }) => {
    const internal = await startBoardServer((_req, res) => sendJson(res, 200, feed))
    cleanup(() => internal.close())
    let target = `${internal.url}/secret`
    const board = await startBoardServer((_req, res) => {
      res.writeHead(302, { location: target })
      res.end()
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))

    await assertRefused(assert, fetchJson(`${board.url}/feed`, fast), internal.requests)
    target = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'
    await assertRefused(assert, fetchJson(`${board.url}/feed`, fast), internal.requests)
    target = 'file:///etc/passwd'
    const fileRedirect = await fetchJson(`${board.url}/feed`, fast).catch((e) => e)
    assert.instanceOf(fileRedirect, SourceFetchError)
    assert.equal(fileRedirect.message, 'fetch failed: invalid url')
  })

  test('pagination Link headers are checked like any other URL', async ({ assert, cleanup }) => {
    const internal = await startBoardServer((_req, res) => sendJson(res, 200, feed))
    cleanup(() => internal.close())
    const board = await startBoardServer((_req, res) =>
      sendJson(res, 200, feed, { link: `<${internal.url}/page2>; rel="next"` })
    )
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({ kind: 'json_feed', url: `${board.url}/feed` })
    const pages: number[] = []
    const walk = (async () => {
      for await (const page of sourcePages(source, fast)) pages.push(page.page)
    })()
    await assertRefused(assert, walk, internal.requests)
    assert.deepEqual(pages, [1], 'the first (allowed) page was read')
  })

  test('at most 5 redirects, a size limit and a time limit', async ({ assert, cleanup }) => {
    let hops = 0
    const loop = await startBoardServer((_req, res, url) => {
      hops++
      res.writeHead(302, { location: `/hop${Number(url.pathname.slice(4) || 0) + 1}` })
      res.end()
    })
    cleanup(() => loop.close())
    cleanup(allowOutbound(loop.url))
    const looped = await fetchJson(`${loop.url}/hop0`, fast).catch((e) => e)
    assert.instanceOf(looped, SourceFetchError)
    assert.equal(looped.message, 'fetch failed: too many redirects')
    assert.equal(hops, 6, 'the first request and 5 redirects')

    const huge = await startBoardServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`[${'"x",'.repeat(300_000)}"x"]`)
    })
    cleanup(() => huge.close())
    cleanup(allowOutbound(huge.url))
    const maxBytes = outboundHttpSettings.maxBytes
    outboundHttpSettings.maxBytes = 1024 * 1024
    cleanup(() => {
      outboundHttpSettings.maxBytes = maxBytes
    })
    const tooLarge = await fetchJson(`${huge.url}/feed`, fast).catch((e) => e)
    assert.instanceOf(tooLarge, SourceFetchError)
    assert.equal(tooLarge.message, 'fetch failed: response too large')

    const stalled = await startBoardServer(() => {})
    cleanup(() => stalled.close())
    cleanup(allowOutbound(stalled.url))
    const slow = await fetchJson(`${stalled.url}/feed`, {
      ...fast,
      maxAttempts: 1,
      timeoutMs: 300,
    }).catch((e) => e)
    assert.instanceOf(slow, SourceFetchError)
    assert.equal(slow.message, 'fetch failed: upstream unreachable')
  })

  test('no port-scan oracle: errors never carry remote bodies, addresses or ports', async ({
    assert,
    cleanup,
  }) => {
    const banner = 'redis_version:7.2.4 internal-banner'
    const open = await startBoardServer((_req, res) => sendJson(res, 500, { banner }))
    cleanup(() => open.close())
    cleanup(allowOutbound(open.url))
    const closed = await startBoardServer(() => {})
    const closedUrl = closed.url
    await closed.close()
    cleanup(allowOutbound(closedUrl))

    const answered = await fetchJson(`${open.url}/feed`, fast).catch((e) => e)
    const refused = await fetchJson(`${closedUrl}/feed`, fast).catch((e) => e)
    assert.equal(answered.message, 'upstream returned HTTP 5xx')
    assert.equal(refused.message, 'fetch failed: upstream unreachable')
    for (const error of [answered, refused]) {
      assert.notInclude(error.message, 'internal-banner')
      assert.notInclude(error.message, '127.0.0.1')
      assert.notInclude(error.message, new URL(open.url).port)
      assert.notInclude(error.message, new URL(closedUrl).port)
      assert.notMatch(error.message, /ECONNREFUSED|connect/i)
    }
  })

  test('the fetch honours an abort signal (activity cancellation)', async ({ assert, cleanup }) => {
    const stalled = await startBoardServer(() => {})
    cleanup(() => stalled.close())
    cleanup(allowOutbound(stalled.url))
    const controller = new AbortController()
    const reason = new Error('activity cancelled')
    const pending = fetchJson(`${stalled.url}/feed`, {
      ...fast,
      timeoutMs: 10_000,
      signal: controller.signal,
    }).catch((e) => e)
    await eventually(async () => stalled.requests.length > 0)
    controller.abort(reason)
    assert.strictEqual(await pending, reason)
  })
})
