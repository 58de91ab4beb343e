/*
| The benchmark contract: the keys each bench/<name>.ts writes to BENCH_RESULT_FILE (numbers, or
| null when a part was not measured, e.g. 1M jobs at tiny size) and the goals bin/bench prints.
*/
import { writeFileSync } from 'node:fs'

export type BenchName = 'auth' | 'search' | 'ingestion' | 'invitations' | 'keycloak'

export const REQUIRED_KEYS: Record<BenchName, string[]> = {
  auth: ['me_vs_trivial', 'me_p99_ms', 'trivial_rps', 'me_rps', 'login_rps', 'api_rss_mb'],
  keycloak: ['login_vs_keycloak', 'me_vs_keycloak_userinfo'],
  search: ['search_pg_p95_ms_100k', 'search_pg_p95_ms_1m', 'search_os_p95_ms_100k'],
  ingestion: ['ingest_vs_bulk'],
  invitations: ['invitations_vs_same_shape'],
}

export interface Goal {
  bench: BenchName
  key: string
  label: string
  unit: string
  /** `min`: the figure must reach the target; `max`: it must not exceed it */
  direction: 'min' | 'max'
  /** null: a figure shown for context, with no goal */
  target: number | null
}

export const GOALS: Goal[] = [
  {
    bench: 'auth',
    key: 'me_vs_trivial',
    label: 'GET /v1/me vs GET /v1 (throughput)',
    unit: '×',
    direction: 'min',
    target: 0.5,
  },
  {
    bench: 'auth',
    key: 'me_p99_ms',
    label: 'GET /v1/me p99',
    unit: 'ms',
    direction: 'max',
    target: 30,
  },
  {
    bench: 'auth',
    key: 'auth_school_route_vs_trivial',
    label: 'school route (GET /v1/schools/{id}/me/applications) vs GET /v1',
    unit: '×',
    direction: 'min',
    target: null,
  },
  {
    bench: 'auth',
    key: 'auth_school_route_p99_ms',
    label: 'school route p99',
    unit: 'ms',
    direction: 'max',
    target: null,
  },
  {
    bench: 'auth',
    key: 'api_rss_mb',
    label: 'API RSS under the auth load',
    unit: 'MB',
    direction: 'max',
    target: 300,
  },
  {
    bench: 'auth',
    key: 'login_rps',
    label: 'POST /v1/auth/login',
    unit: 'req/s',
    direction: 'min',
    target: null,
  },
  {
    bench: 'keycloak',
    key: 'login_vs_keycloak',
    label: 'login vs Keycloak password grant',
    unit: '×',
    direction: 'min',
    target: 1,
  },
  {
    bench: 'keycloak',
    key: 'me_vs_keycloak_userinfo',
    label: 'GET /v1/me vs Keycloak userinfo',
    unit: '×',
    direction: 'min',
    target: 1,
  },
  {
    bench: 'search',
    key: 'search_pg_p95_ms_100k',
    label: 'PostgreSQL search p95, 100k jobs',
    unit: 'ms',
    direction: 'max',
    target: 50,
  },
  {
    bench: 'search',
    key: 'search_pg_p95_ms_1m',
    label: 'PostgreSQL search p95, 1M jobs',
    unit: 'ms',
    direction: 'max',
    target: 150,
  },
  {
    bench: 'search',
    key: 'search_os_p95_ms_100k',
    label: 'OpenSearch search p95, 100k jobs',
    unit: 'ms',
    direction: 'max',
    target: 25,
  },
  {
    bench: 'ingestion',
    key: 'ingest_vs_bulk',
    label: 'ingestion vs raw bulk index',
    unit: '×',
    direction: 'min',
    target: 0.6,
  },
  {
    bench: 'ingestion',
    key: 'ingest_pg_vs_bulk',
    label: '  PostgreSQL engine',
    unit: '×',
    direction: 'min',
    target: null,
  },
  {
    bench: 'ingestion',
    key: 'ingest_os_vs_bulk',
    label: '  OpenSearch engine',
    unit: '×',
    direction: 'min',
    target: null,
  },
  {
    bench: 'invitations',
    key: 'invitations_vs_same_shape',
    label: 'invitations vs same-shape workflow',
    unit: '×',
    direction: 'min',
    target: 0.8,
  },
  {
    bench: 'invitations',
    key: 'invitations_vs_noop',
    label: 'invitations vs no-op workflow',
    unit: '×',
    direction: 'min',
    target: null,
  },
]

/** `tiny` (seconds; bin/test) or `full` (the default). */
export const BENCH_SIZE: 'tiny' | 'full' = process.env.BENCH_SIZE === 'tiny' ? 'tiny' : 'full'

/** Writes the figures to BENCH_RESULT_FILE when it is set (bin/bench sets it). */
export function writeResult(figures: Record<string, number | null>) {
  const path = process.env.BENCH_RESULT_FILE
  if (path) writeFileSync(path, JSON.stringify(figures, null, 2) + '\n')
}
