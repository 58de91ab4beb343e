/*
| Merges the result files of one `bin/bench` run into latest.json and prints one table.
|   node --import=@poppinss/ts-exec bench/lib/report.ts <dir> <out.json> <size> [--check] <name...>
| <dir> holds <name>.json (written by the benchmark, BENCH_RESULT_FILE) and <name>.meta.json
| (exit code and seconds, written by bin/bench). Figures of benchmarks not run this time stay
| in latest.json with their own date and commit (under `benchmarks`).
| Exit 1 when a benchmark failed to run; with --check also when a result is missing or lacks a
| required key.
*/
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { GOALS, REQUIRED_KEYS, type BenchName } from './contract.js'

const args = process.argv.slice(2)
const check = args.includes('--check')
const [dir, out, size, ...names] = args.filter((arg) => arg !== '--check') as [
  string,
  string,
  string,
  ...BenchName[],
]

function readJson(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null
  try {
    const value = JSON.parse(readFileSync(path, 'utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null
  } catch {
    return null
  }
}

function git(...command: string[]) {
  try {
    return execFileSync('git', command, { encoding: 'utf8' }).trim()
  } catch {
    return null
  }
}

const commit = git('rev-parse', '--short=12', 'HEAD')
const dirty = git('status', '--porcelain', '--untracked-files=no')
const now = new Date().toISOString()
const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  free_memory_gb: Math.round((freemem() / 2 ** 30) * 10) / 10,
  load_average: loadavg().map((value) => Math.round(value * 100) / 100),
}

const previous = readJson(out) ?? {}
const benchmarks = { ...((previous.benchmarks as Record<string, unknown>) ?? {}) }
const figures: Record<string, unknown> = {}
for (const [key, value] of Object.entries(previous)) {
  if (!['machine', 'date', 'commit', 'size', 'benchmarks'].includes(key)) figures[key] = value
}

const problems: string[] = []
const failures: string[] = []
for (const name of names) {
  const meta = readJson(join(dir, `${name}.meta.json`)) ?? { exit: null, seconds: null }
  const result = readJson(join(dir, `${name}.json`))
  // This run's figures replace the previous run's, also with null where nothing was measured.
  const before = (benchmarks[name] as { keys?: string[] } | undefined)?.keys ?? []
  for (const key of Object.keys(figures)) {
    const owned = GOALS.some((goal) => goal.bench === name && goal.key === key)
    if (owned || before.includes(key) || key.startsWith(`${name}_`)) delete figures[key]
  }
  for (const key of REQUIRED_KEYS[name]) figures[key] = null
  for (const [key, value] of Object.entries(result ?? {})) figures[key] = value
  const missing = result ? REQUIRED_KEYS[name].filter((key) => !(key in result)) : []
  benchmarks[name] = {
    date: now,
    commit: dirty ? `${commit}+dirty` : commit,
    size,
    exit: meta.exit,
    seconds: meta.seconds,
    measured: result !== null,
    keys: Object.keys(result ?? {}),
  }
  if (meta.exit !== 0) failures.push(`${name}: exited ${meta.exit}`)
  if (!result) problems.push(`${name}: no result file (not measured)`)
  else if (missing.length) problems.push(`${name}: result lacks ${missing.join(', ')}`)
}

const merged = {
  machine,
  date: now,
  commit: dirty ? `${commit}+dirty` : commit,
  size,
  ...figures,
  benchmarks,
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, JSON.stringify(merged, null, 2) + '\n')

const format = (value: unknown, unit: string) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not measured'
  if (unit === '×') return `${value.toFixed(value < 0.1 ? 3 : 2)}×`
  return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en')} ${unit}`
}
const rows = GOALS.filter((goal) => names.includes(goal.bench)).map((goal) => {
  const value = figures[goal.key]
  const measured = typeof value === 'number' && Number.isFinite(value)
  const met =
    !measured || goal.target === null
      ? '—'
      : (goal.direction === 'min' ? value >= goal.target : value <= goal.target)
        ? 'yes'
        : 'NO'
  const target =
    goal.target === null
      ? '(context)'
      : `${goal.direction === 'min' ? '≥' : '≤'} ${format(goal.target, goal.unit)}`
  return [goal.label, format(value, goal.unit), target, met]
})
const header = ['benchmark', 'figure', 'goal', 'met?']
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)))
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ')
console.log('')
console.log(
  `machine: ${machine.nproc} × ${machine.cpu}, ${machine.memory_gb} GB, load ${machine.load_average.join(' ')}` +
    ` · ${size} size · commit ${merged.commit} · ${now}`
)
console.log(line(header))
console.log(line(widths.map((width) => '-'.repeat(width))))
for (const row of rows) console.log(line(row))
console.log(`\nwritten: ${out}`)
for (const problem of [...failures, ...problems]) console.log(`  ${problem}`)
if (failures.length || (check && problems.length)) process.exitCode = 1
