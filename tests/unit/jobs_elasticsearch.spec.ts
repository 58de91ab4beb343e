import { test } from '@japa/runner'
import { createElasticsearchIndex } from '#services/jobs/search/elasticsearch_index'
import { encodeCursor } from '#services/jobs/search/cursor'
import { startBoardServer } from '#tests/helpers/jobs_helpers'

/*
| No Elasticsearch server can run here (its licence/distribution is not available offline and
| the client refuses OpenSearch). These tests run the real `@elastic/elasticsearch` client
| against a local HTTP stub that answers in Elasticsearch 9's response format, and check the
| requests the adapter builds and how it parses the answers.
*/

const SEARCH_RESPONSE = {
  took: 4,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: {
    total: { value: 3, relation: 'eq' },
    max_score: null,
    hits: [
      {
        _index: 'pathways-jobs-1',
        _id: 'a1',
        _score: 2.5,
        _source: {
          id: 'a1',
          source_id: 's1',
          school_scope: 'global',
          title: 'Data Engineer',
          company: 'Globex',
          locations: ['Remote'],
          remote: true,
          employment_type: 'full_time',
          salary_min: 100000,
          salary_max: 140000,
          salary_top: 140000,
          salary_currency: 'USD',
          description: 'Pipelines',
          posted_at: '2026-11-20T10:00:00.000Z',
          apply_url: 'https://x.example/a1',
        },
        highlight: {
          title: ['Data <mark>Engineer</mark>'],
          description: ['<mark>Pipelines</mark>'],
        },
        sort: [2.5, 'a1'],
      },
      {
        _index: 'pathways-jobs-1',
        _id: 'a2',
        _score: 1.5,
        _source: {
          id: 'a2',
          source_id: 's1',
          school_scope: 'global',
          title: 'Backend Engineer',
          company: 'Hooli',
          locations: [],
          remote: false,
          employment_type: null,
          salary_min: null,
          salary_max: null,
          salary_top: null,
          salary_currency: null,
          description: '',
          posted_at: '2026-11-19T10:00:00.000Z',
          apply_url: null,
        },
        sort: [1.5, 'a2'],
      },
    ],
  },
  aggregations: {
    employment_type: {
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [{ key: 'full_time', doc_count: 3 }],
    },
    remote: {
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 0, key_as_string: 'false', doc_count: 2 },
        { key: 1, key_as_string: 'true', doc_count: 1 },
      ],
    },
    location: {
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [{ key: 'Remote', doc_count: 1 }],
    },
    source: {
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [{ key: 's1', doc_count: 3 }],
    },
  },
}

async function fakeElasticsearch(options: { bulkErrors?: boolean } = {}) {
  const bodies: { method: string; path: string; body: string }[] = []
  let aliasExists = false
  const server = await startBoardServer((req, res, url) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      bodies.push({ method: req.method!, path: url.pathname, body: raw })
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, {
          'content-type': 'application/vnd.elasticsearch+json;compatible-with=9',
          'x-elastic-product': 'Elasticsearch',
        })
        res.end(JSON.stringify(body))
      }
      if (url.pathname.startsWith('/_alias/')) {
        return aliasExists
          ? reply(200, { 'pathways-jobs-1': { aliases: { [url.pathname.slice(8)]: {} } } })
          : reply(404, { error: 'alias missing', status: 404 })
      }
      if (url.pathname === '/_aliases') {
        aliasExists = true
        return reply(200, { acknowledged: true })
      }
      if (url.pathname === '/_bulk') {
        const lines = raw
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
        const actions = lines.filter((l) => l.index || l.delete)
        return reply(200, {
          took: 3,
          errors: Boolean(options.bulkErrors),
          items: actions.map((a) => {
            const [op, meta] = Object.entries(a)[0] as [string, any]
            return options.bulkErrors
              ? {
                  [op]: {
                    _index: meta._index,
                    _id: meta._id,
                    status: 400,
                    error: { type: 'mapper_parsing_exception', reason: 'failed to parse' },
                  },
                }
              : { [op]: { _index: meta._index, _id: meta._id, status: 201, result: 'created' } }
          }),
        })
      }
      if (url.pathname.endsWith('/_search')) return reply(200, SEARCH_RESPONSE)
      if (req.method === 'PUT')
        return reply(200, {
          acknowledged: true,
          shards_acknowledged: true,
          index: url.pathname.slice(1),
        })
      reply(404, { error: 'unexpected', status: 404 })
    })
  })
  return { ...server, bodies }
}

test.group('Elasticsearch adapter (ES-format stub, real client)', () => {
  test('creates the index with explicit mappings behind an alias and bulk-indexes through it', async ({
    assert,
    cleanup,
  }) => {
    const es = await fakeElasticsearch()
    cleanup(() => es.close())
    const index = createElasticsearchIndex(es.url, 'jobs-alias')
    await index.index([
      {
        id: 'a1',
        sourceId: 's1',
        schoolId: null,
        title: 'Data Engineer',
        company: 'Globex',
        locations: ['Remote'],
        remote: true,
        employmentType: 'full_time',
        salaryMin: 1,
        salaryMax: null,
        salaryCurrency: 'USD',
        descriptionText: 'x',
        postedAt: '2026-11-20T10:00:00.000Z',
        applyUrl: null,
      },
    ])
    const [aliasLookup, create, aliases, bulk] = es.bodies
    assert.equal(aliasLookup.path, '/_alias/jobs-alias')
    assert.equal(create.method, 'PUT')
    assert.match(create.path, /^\/jobs-alias-\d+-[a-z0-9]+$/)
    const definition = JSON.parse(create.body)
    assert.equal(definition.mappings.dynamic, 'strict')
    assert.equal(definition.mappings.properties.title.analyzer, 'english')
    assert.equal(definition.settings.analysis.filter.autocomplete_edge.type, 'edge_ngram')
    assert.equal(definition.mappings.properties.employment_type.type, 'keyword')
    assert.deepEqual(JSON.parse(aliases.body).actions, [
      { add: { index: create.path.slice(1), alias: 'jobs-alias', is_write_index: true } },
    ])
    const lines = bulk.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.deepEqual(lines[0], { index: { _index: 'jobs-alias', _id: 'a1' } })
    assert.equal(lines[1].school_scope, 'global')
    assert.equal(lines[1].salary_top, 1)
  })

  test('builds the search request and parses an Elasticsearch response', async ({
    assert,
    cleanup,
  }) => {
    const es = await fakeElasticsearch()
    cleanup(() => es.close())
    const index = createElasticsearchIndex(es.url, 'jobs-alias')
    await index.ensureReady()
    const result = await index.search({
      schoolId: 'school-1',
      q: 'engineer',
      remote: true,
      employmentType: ['full_time'],
      minSalary: 90000,
      postedWithinDays: 7,
      location: 'Remote',
      limit: 1,
      cursor: encodeCursor([3.5, 'zz']),
    })
    // the page's request (the per-day counts of the counting window go alongside it)
    const request = es.bodies.find((b) => b.path.endsWith('/_search') && JSON.parse(b.body).size)!
    assert.equal(request.path, '/jobs-alias/_search')
    const body = JSON.parse(request.body)
    assert.equal(body.size, 2)
    assert.deepEqual(body.search_after, [3.5, 'zz'])
    assert.deepEqual(body.sort, [{ _score: { order: 'desc' } }, { id: { order: 'desc' } }])
    assert.deepInclude(body.query.bool.filter, { terms: { school_scope: ['school-1', 'global'] } })
    assert.deepInclude(body.query.bool.filter, { term: { remote: true } })
    assert.deepInclude(body.query.bool.filter, { range: { salary_top: { gte: 90000 } } })
    assert.deepInclude(body.query.bool.filter, { range: { posted_at: { gte: 'now-7d' } } })
    assert.deepInclude(body.query.bool.filter, { term: { 'locations.lower': 'remote' } })
    assert.equal(body.query.bool.must[0].bool.should[1].match.title.fuzziness, 'AUTO')
    assert.deepEqual(body.highlight.pre_tags, ['<mark>'])

    assert.equal(result.total, 3)
    assert.lengthOf(result.data, 1)
    assert.deepInclude(result.data[0], {
      id: 'a1',
      title: 'Data Engineer',
      remote: true,
      salaryMax: 140000,
      score: 2.5,
    })
    assert.deepEqual(result.data[0].highlights, {
      title: ['Data <mark>Engineer</mark>'],
      description: ['<mark>Pipelines</mark>'],
    })
    assert.deepEqual(JSON.parse(Buffer.from(result.nextCursor!, 'base64url').toString()), [
      2.5,
      'a1',
    ])
    assert.deepEqual(result.facets.remote, [
      { value: 'false', count: 2 },
      { value: 'true', count: 1 },
    ])
    assert.deepEqual(result.facets.employmentType, [{ value: 'full_time', count: 3 }])
  })

  test('bulk item errors (HTTP 200, errors: true) fail the write', async ({ assert, cleanup }) => {
    const es = await fakeElasticsearch({ bulkErrors: true })
    cleanup(() => es.close())
    const index = createElasticsearchIndex(es.url, 'jobs-alias')
    const error = await index.remove(['a1']).catch((e) => e)
    assert.match(String(error), /bulk indexing failed for 1 documents: .*mapper_parsing_exception/)
  })
})
