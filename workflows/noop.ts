/**
 * Completes on a signal, no activity: the outbox tests start and signal it. Not in the production
 * worker's bundle (workflows/index.ts); test workers bundle tests/helpers/test_workflows.ts.
 */
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
