import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import app from '@adonisjs/core/services/app'
import { buildOpenApiDocument } from '#services/platform/openapi/document'
import { appVersion } from '#services/platform/app_version'

/** Committed copy of the document: a change to the API contract must be reviewed. */
export const SNAPSHOT_PATH = 'tests/contract/openapi.snapshot.json'

/** The document without environment-dependent parts (server URL), stable across machines. */
export async function publishedDocument() {
  return buildOpenApiDocument({ version: appVersion() })
}

export function serialize(document: unknown) {
  return JSON.stringify(document, null, 2) + '\n'
}

export async function writeDocument(path: string, document: unknown) {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, serialize(document))
}

export async function readSnapshot(): Promise<string | null> {
  try {
    return await readFile(app.makePath(SNAPSHOT_PATH), 'utf8')
  } catch {
    return null
  }
}

/** A line diff (unified-style, with 3 lines of context) between two serialized documents. */
export function lineDiff(before: string, after: string, context = 3): string {
  const a = before.split('\n')
  const b = after.split('\n')
  // LCS table; documents are a few thousand lines, fine for a test.
  const n = a.length
  const m = b.length
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  const ops: Array<[' ' | '-' | '+', string, number]> = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push([' ', a[i++], j++])
    else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push(['+', b[j], j++])
    else ops.push(['-', a[i++], j])
  }
  const out: string[] = []
  let lastPrinted = -1
  ops.forEach(([kind], index) => {
    if (kind === ' ') return
    const from = Math.max(lastPrinted + 1, index - context)
    if (from > lastPrinted + 1 && out.length) out.push('...')
    for (let k = from; k <= Math.min(ops.length - 1, index + context); k++) {
      if (k <= lastPrinted) continue
      if (k > index && ops[k][0] !== ' ') break
      out.push(`${ops[k][0]} ${ops[k][1]}`)
      lastPrinted = k
    }
  })
  return out.join('\n')
}
