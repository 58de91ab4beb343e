/*
| Preloaded into the API by bench/auth.ts (`node --import=<this file>`), never in production.
| Records what makes a latency tail inside the server: event-loop delay (anything that blocks the
| loop: JSON, hashing on the main thread, long synchronous frames) and garbage-collection pauses.
| On SIGUSR2 it writes the figures since the last signal to BENCH_PROBE_FILE and starts over, so the
| benchmark reads them phase by phase. Plain JavaScript: it runs under ts-exec and in the build.
*/
import { writeFileSync } from 'node:fs'
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks'
import { getHeapSpaceStatistics } from 'node:v8'

const file = process.env.BENCH_PROBE_FILE
if (file) {
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  let pauses = []
  // The collection this probe forces (for the live heap) is not the server's: left out.
  let forced = [0, -1]
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.startTime >= forced[0] && entry.startTime <= forced[1]) continue
      const kind = entry.detail?.kind
      pauses.push({
        ms: entry.duration,
        major: kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      })
    }
  }).observe({ entryTypes: ['gc'] })
  const ms = (ns) => Math.round(ns / 1e4) / 100
  process.on('SIGUSR2', () => {
    const sorted = pauses.map((p) => p.ms).sort((a, b) => a - b)
    const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0)
    const memory = process.memoryUsage()
    // Live heap after a full collection (the server runs with --expose-gc under the benchmark).
    const from = performance.now()
    globalThis.gc?.()
    forced = [from, performance.now()]
    const live = process.memoryUsage()
    writeFileSync(
      file,
      JSON.stringify({
        loop_delay_ms: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
        gc: {
          count: sorted.length,
          major: pauses.filter((p) => p.major).length,
          total_ms: Math.round(sorted.reduce((sum, each) => sum + each, 0)),
          p99_ms: Math.round(at(0.99) * 100) / 100,
          max_ms: Math.round((sorted.at(-1) ?? 0) * 100) / 100,
        },
        heap_used_mb: Math.round(memory.heapUsed / 1048576),
        heap_live_mb: Math.round(live.heapUsed / 1048576),
        rss_mb: Math.round(memory.rss / 1048576),
        heap_spaces_mb: Object.fromEntries(
          getHeapSpaceStatistics().map((space) => [
            space.space_name,
            Math.round(space.space_size / 1048576),
          ])
        ),
        external_mb: Math.round(memory.external / 1048576),
      })
    )
    loop.reset()
    pauses = []
  })
}
