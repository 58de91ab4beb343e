/*
| Ingestion timings. Production defaults; tests shorten them with JOBS_INGEST_* variables
| (read here rather than in start/env.ts because they are optional tuning knobs).
*/
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

export function ingestionSettings() {
  return {
    fetch: {
      maxAttempts: num('JOBS_INGEST_FETCH_ATTEMPTS', 4),
      backoffMs: num('JOBS_INGEST_BACKOFF_MS', 1000),
      maxRetryAfterMs: num('JOBS_INGEST_MAX_RETRY_AFTER_MS', 120_000),
      pageSize: num('JOBS_INGEST_PAGE_SIZE', 100),
    },
  }
}
