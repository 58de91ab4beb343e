import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import db from '@adonisjs/lucid/services/db'
import * as generated from '#database/schema'

/*
| Layout rules a reviewer would otherwise check by hand: route files list routes (their OpenAPI
| descriptions live beside the validators), controllers build no queries, and every table the
| app writes has a Lucid model on the generated schema (`node ace schema:generate` writes
| database/schema.ts), and services never see the request.
*/

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(app.makePath(folder), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(app.makePath(), join(entry.parentPath, entry.name)))
    .sort()
}

/** Calls that build or run SQL (a chain may span lines): a controller asks a service instead. */
const QUERY_BUILDING = [
  /\bdb\s*\.\s*(from|query|rawQuery|table|insertQuery|modelQuery|knexQuery|knexRawQuery|transaction)\b/,
  /\btrx\s*\.\s*(from|query|rawQuery|table|insertQuery)\b/,
  /\.\s*(query|useTransaction)\s*\(/,
  /\b(knex|getWriteClient|getReadClient)\b/,
  /\.\s*(whereRaw|joinRaw|orderByRaw)\s*\(/,
  /from\s+['"]@adonisjs\/lucid\/services\/db['"]/,
]

function queryBuildingLines(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment) =>
    comment.replace(/[^\n]/g, ' ')
  )
  const lines = source.split('\n')
  const found = new Set<number>()
  for (const pattern of QUERY_BUILDING) {
    for (const match of code.matchAll(new RegExp(pattern.source, 'g'))) {
      found.add(code.slice(0, match.index).split('\n').length - 1)
    }
  }
  return [...found].sort((a, b) => a - b).map((index) => lines[index])
}

/** An import (static or dynamic) of HttpContext from the framework's http module. */
function importsHttpContext(source: string) {
  return (
    /import\s+(type\s+)?\{[^}]*\bHttpContext\b[^}]*\}\s*from\s*['"]@adonisjs\/core\/http['"]/.test(
      source
    ) ||
    /\{[^}]*\bHttpContext\b[^}]*\}\s*=\s*await\s+import\(\s*['"]@adonisjs\/core\/http/.test(source)
  )
}

test.group('Code layout', () => {
  test('no route file exceeds 150 lines and none spells out an OpenAPI description', async ({
    assert,
  }) => {
    const files = await sourceFiles('start/routes')
    assert.isAbove(files.length, 5)
    for (const file of files) {
      const source = await readFile(app.makePath(file), 'utf8')
      const lines = source.trimEnd().split('\n').length
      assert.isAtMost(lines, 150, `${file} has ${lines} lines`)
      assert.notMatch(source, /\.doc\(\s*\{/, `${file}: move the description to app/validators`)
    }
  })

  test('controllers build no queries', async ({ assert }) => {
    const files = await sourceFiles('app/controllers')
    assert.isAbove(files.length, 10)
    const offenders: string[] = []
    for (const file of files) {
      const source = await readFile(app.makePath(file), 'utf8')
      for (const line of queryBuildingLines(source)) offenders.push(`${file}: ${line.trim()}`)
    }
    assert.deepEqual(offenders, [], 'move these queries into a service')
  })

  test('services take plain arguments: none imports HttpContext', async ({ assert }) => {
    // The request stays in middleware, controllers and the auth guard layer (app/auth).
    const files = await sourceFiles('app/services')
    assert.isAbove(files.length, 20)
    const offenders: string[] = []
    for (const file of files) {
      const source = await readFile(app.makePath(file), 'utf8')
      if (importsHttpContext(source)) offenders.push(file)
    }
    assert.deepEqual(offenders, [], 'pass plain values from the middleware or controller')
  })

  test('the HttpContext scan recognises the forms it forbids', ({ assert }) => {
    for (const source of [
      "import { HttpContext } from '@adonisjs/core/http'",
      "import type { HttpContext } from '@adonisjs/core/http'",
      "import {\n  Request,\n  type HttpContext,\n} from '@adonisjs/core/http'",
      "const { HttpContext } = await import('@adonisjs/core/http')",
    ]) {
      assert.isTrue(importsHttpContext(source), source)
    }
    // A module augmentation (declaring a field on the context) imports nothing.
    assert.isFalse(
      importsHttpContext("declare module '@adonisjs/core/http' {\n  interface HttpContext {}\n}")
    )
  })

  test('one 422 problem type, and route ids checked by the router alone', async ({ assert }) => {
    for (const file of await sourceFiles('app')) {
      const source = await readFile(app.makePath(file), 'utf8')
      assert.notMatch(
        source,
        /ProblemException\(\s*422,\s*'validation'/,
        `${file}: use validation-error`
      )
    }
    // start/routes.ts gives every id parameter one strict UUID matcher (404 for anything else).
    for (const file of [
      ...(await sourceFiles('app/controllers')),
      ...(await sourceFiles('start/routes')),
    ]) {
      const source = await readFile(app.makePath(file), 'utf8')
      assert.notMatch(
        source,
        /\[0-9a-f\]\{8\}|matchers\.uuid\(\)/i,
        `${file}: a hand-written UUID check`
      )
    }
  })

  test('the query scan recognises the forms it forbids', ({ assert }) => {
    for (const line of [
      "const rows = await db.from('users').where('id', id)",
      "await trx.from('memberships').update({ role })",
      'const user = await User.query().where({ email }).first()',
      "import db from '@adonisjs/lucid/services/db'",
      "await ctx.tenant.trx.rawQuery('select 1')",
      "await tenant.trx\n  .from('applications')\n  .delete()",
    ]) {
      assert.lengthOf(queryBuildingLines(line), 1, line)
    }
    assert.lengthOf(queryBuildingLines('const page = await service.list(schoolId, query)'), 0)
  })

  test('every table the app may write has a model on the generated schema', async ({ assert }) => {
    // The app's own role, as in production: what it may write is what needs a model.
    const { rows } = await db.rawQuery(`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND c.relname NOT LIKE 'adonis_schema%'
        AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE')
      ORDER BY 1`)
    const written: string[] = rows.map((row: { name: string }) => row.name)
    assert.isAbove(written.length, 30)

    const schemaClasses = new Set<unknown>(Object.values(generated))
    const modelled = new Map<string, string>()
    for (const file of await sourceFiles('app/models')) {
      const { default: model } = await import(
        pathToFileURL(app.makePath(file.replace(/\.ts$/, '.js'))).href
      )
      let parent = Object.getPrototypeOf(model)
      while (parent && !schemaClasses.has(parent)) parent = Object.getPrototypeOf(parent)
      assert.isOk(parent, `${file} does not extend a class of database/schema.ts`)
      modelled.set(model.table, file)
    }
    assert.deepEqual(
      written.filter((table) => !modelled.has(table)),
      [],
      'tables without a model in app/models'
    )
  })
})
