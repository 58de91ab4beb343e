import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

/*
| Layout rules a reviewer would otherwise check by hand: route files list routes (their OpenAPI
| descriptions live beside the validators), and controllers build no queries.
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
})
