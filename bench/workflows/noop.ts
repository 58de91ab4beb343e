/** Benchmark baseline (context only): completes on a signal, no activity, no timer. */
import { condition, defineSignal, setHandler } from '@temporalio/workflow'

export const noopDone = defineSignal('done')

export async function noop(): Promise<string> {
  let done = false
  setHandler(noopDone, () => {
    done = true
  })
  await condition(() => done)
  return 'done'
}
