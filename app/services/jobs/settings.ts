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
      /** a longer Retry-After goes to Temporal's retry (nextRetryDelay), not an in-process wait */
      maxRetryAfterMs: num('JOBS_INGEST_MAX_RETRY_AFTER_MS', 60_000),
      pageSize: num('JOBS_INGEST_PAGE_SIZE', 100),
      /** heartbeat at least this often while waiting (the activity's heartbeat timeout: 3 minutes) */
      heartbeatMs: num('JOBS_INGEST_HEARTBEAT_MS', 10_000),
    },
    /**
     * A completed run closes unlisted jobs only when it listed at least this share of the
     * source's open jobs: an empty or truncated answer is recorded as suspicious instead.
     */
    minListedRatio: num('JOBS_INGEST_MIN_LISTED_RATIO', 0.5),
    /** documents per bulk request to the search engine, rows per catch-up read */
    indexBatchSize: num('JOBS_INGEST_INDEX_BATCH', 500),
  }
}
