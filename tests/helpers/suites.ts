import { glob } from 'node:fs/promises'

interface SuiteFiles {
  name: string
  files: string | string[] | (() => unknown[] | Promise<unknown[]>)
}

/**
 * A suite whose glob matches nothing "passes" with zero tests, so a renamed folder
 * or a typo in adonisrc.ts would silently drop a whole suite. Fail the run instead.
 */
export async function assertSuitesMatchFiles(suites: SuiteFiles[], cwd: string) {
  const empty: string[] = []
  for (const suite of suites) {
    if (!(await hasFiles(suite.files, cwd))) empty.push(suite.name)
  }
  if (empty.length > 0) {
    throw new Error(`Test suites whose files match nothing: ${empty.join(', ')} (see adonisrc.ts)`)
  }
}

async function hasFiles(files: SuiteFiles['files'], cwd: string) {
  if (typeof files === 'function') return (await files()).length > 0
  for (const pattern of Array.isArray(files) ? files : [files]) {
    const first = await glob(pattern, { cwd })[Symbol.asyncIterator]().next()
    if (!first.done) return true
  }
  return false
}

/**
 * A `--files` or `--tests` filter that matches nothing also "passes" with zero tests (a typo
 * in a CI command or a renamed file would go unnoticed). A run that ran no test fails.
 */
export function assertSomeTestRan(summary: { aggregates: { total: number } }) {
  if (summary.aggregates.total === 0) {
    process.exitCode = 1
    throw new Error('No test ran: the suites, --files or --tests filters match nothing')
  }
}
