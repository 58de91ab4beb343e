import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import app from '@adonisjs/core/services/app'
import { asOwner } from '#tests/helpers/fixtures'
import { loadSource } from '#services/jobs/ingestion_service'
import { outboundHttpSettings } from '#config/outbound_http'

export function jobsFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(app.makePath('tests/fixtures/jobs', name), 'utf8'))
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void

/** A local board (node:http on 127.0.0.1, random port) answering with `handler`; records every request. */
export async function startBoardServer(handler: Handler) {
  const requests: string[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push(`${req.method} ${url.pathname}${url.search}`)
    handler(req, res, url)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** Inserts a source row directly (owner, platform scope); `schoolId` null = global. */
export async function insertSource(values: {
  schoolId?: string | null
  name?: string
  kind: 'greenhouse' | 'lever' | 'json_feed'
  url?: string
  boardToken?: string
}) {
  const [row] = await asOwner((trx) =>
    trx
      .table('job_sources')
      .insert({
        school_id: values.schoolId ?? null,
        name: values.name ?? `${values.kind} source`,
        kind: values.kind,
        url: values.url ?? null,
        board_token: values.boardToken ?? null,
      })
      .returning('*')
  )
  return (await loadSource(row.id))!
}

export async function jobRows(sourceId: string) {
  return asOwner((trx) =>
    trx
      .from('jobs')
      .where('source_id', sourceId)
      .select('*', trx.raw('xmin::text as xmin'))
      .orderBy('external_id')
  )
}

/** Polls `check` until it returns a value (bounded), for asynchronous outcomes (workflows). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000
) {
  const deadline = Date.now() + timeoutMs
  let delay = 50
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 500)
  }
}

/**
 * Lets the outbound client reach a local fixture server (`http://127.0.0.1:<port>`): adds its
 * `host:port` to the allowlist, which is empty by default. Returns the function that removes it.
 */
export function allowOutbound(url: string) {
  const { hostname, port } = new URL(url)
  const entry = `${hostname}:${port}`.toLowerCase()
  outboundHttpSettings.allowlist.push(entry)
  return () => {
    const at = outboundHttpSettings.allowlist.indexOf(entry)
    if (at >= 0) outboundHttpSettings.allowlist.splice(at, 1)
  }
}
