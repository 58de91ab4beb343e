import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { BaseSerializer, BaseTransformer } from '@adonisjs/core/transformers'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ResourceTransformer } from '#transformers/jobs/resource_transformer'

/*
| Response shaping has one home: a transformer per resource in app/transformers. Services and
| controllers call it; they keep no `present`/`serializeX`/`xOut` helpers of their own.
*/

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(app.makePath(folder), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(app.makePath(), join(entry.parentPath, entry.name)))
    .sort()
}

/** Every resource the contract documents with a response body of its own, and its transformer. */
const RESOURCES = [
  'application',
  'application_event',
  'audit_event',
  'cohort',
  'cohort_member',
  'device',
  'health_check',
  'invitation',
  'job',
  'job_ingestion_run',
  'job_source',
  'machine_client',
  'me',
  'membership',
  'mentor_assignment',
  'profile',
  'profile_education',
  'profile_experience',
  'profile_skill',
  'report',
  'resume',
  'role_permissions',
  'school',
  'session',
  'user_status',
]

/** A helper that shapes a response, defined or called: `present(`, `serializeJob(`, `skillOut(`. */
const SHAPING_HELPER = /\b(serialize[A-Z]\w*|present(?:[A-Z]\w*)?|[a-z]\w*Out)\s*\(/g

test.group('Transformers', () => {
  test('services and controllers keep no present/serializeX/xOut helpers', async ({ assert }) => {
    // openapi/ builds the API description (JSON Schema), not a resource's response.
    const files = [
      ...(await sourceFiles('app/services')).filter(
        (f) => !f.startsWith('app/services/platform/openapi/')
      ),
      ...(await sourceFiles('app/controllers')),
    ]
    assert.isAbove(files.length, 40)
    const offenders: string[] = []
    for (const file of files) {
      const source = await readFile(app.makePath(file), 'utf8')
      for (const match of source.matchAll(SHAPING_HELPER)) offenders.push(`${file}: ${match[0]}`)
    }
    assert.deepEqual(offenders, [], 'shape responses with a transformer in app/transformers')
  })

  test('each documented resource has one transformer, used by the app', async ({ assert }) => {
    const callers = [
      ...(await sourceFiles('app/controllers')),
      ...(await sourceFiles('app/services')),
      ...(await sourceFiles('app/transformers')),
    ]
    const sources = await Promise.all(callers.map((f) => readFile(app.makePath(f), 'utf8')))
    // Transformers live in area folders: find each by its resource name.
    const transformerFiles = await sourceFiles('app/transformers')
    const resourceOf = (f: string) => f.replace(/^.*\/(.*)_transformer\.ts$/, '$1')
    const byResource = new Map(transformerFiles.map((f) => [resourceOf(f), f]))
    for (const resource of RESOURCES) {
      const file = byResource.get(resource) ?? `app/transformers/${resource}_transformer.ts`
      const module = await import(pathToFileURL(app.makePath(file)).href)
      const Transformer = module.default
      assert.isFunction(Transformer, `${file} has a default export`)
      assert.isTrue(Transformer.prototype instanceof ResourceTransformer, `${file}`)
      assert.isTrue(Transformer.prototype instanceof BaseTransformer, `${file}`)
      const specifier = `'#${file.replace(/^app\//, '').replace(/\.ts$/, '')}'`
      assert.isTrue(
        sources.some((source) => source.includes(specifier)),
        `${file} is imported by a controller, service or transformer`
      )
    }
    assert.sameMembers(
      transformerFiles.map(resourceOf),
      [...RESOURCES, 'resource'],
      'one transformer file per resource'
    )
  })

  test('item and collection return the bare shape the framework serializer resolves', async ({
    assert,
  }) => {
    const { default: JobSourceTransformer } =
      await import('#transformers/jobs/job_source_transformer')
    const row = {
      id: '00000000-0000-4000-8000-000000000001',
      school_id: null,
      name: 'Board',
      kind: 'greenhouse',
      url: null,
      board_token: 'acme',
      company: 'Acme',
      interval_minutes: '60',
      status: 'active',
      last_run_at: null,
      created_at: new Date('2026-01-02T03:04:05Z'),
    }
    const item = JobSourceTransformer.item(row)
    assert.deepEqual(item, {
      id: row.id,
      scope: 'global',
      schoolId: null,
      name: 'Board',
      kind: 'greenhouse',
      url: null,
      boardToken: 'acme',
      company: 'Acme',
      intervalMinutes: 60,
      status: 'active',
      lastRunAt: null,
      createdAt: '2026-01-02T03:04:05.000Z',
    })
    // No `{ data }` wrapper: the same object a serializer without a wrap key resolves.
    class Unwrapped extends BaseSerializer<{}> {
      wrap = undefined
      definePaginationMetaData(metaData: unknown) {
        return metaData as Record<string, any>
      }
    }
    const serializer = new Unwrapped()
    assert.deepEqual(await serializer.serialize(JobSourceTransformer.transform(row)), item)
    assert.deepEqual(await serializer.serialize(JobSourceTransformer.transform([row, row])), [
      item,
      item,
    ])
    assert.deepEqual(JobSourceTransformer.collection([row, row]), [item, item])
    assert.equal(JSON.stringify(JobSourceTransformer.item(row)), JSON.stringify(item))
  })
})
