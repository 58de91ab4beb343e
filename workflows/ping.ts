import { proxyActivities } from '@temporalio/workflow'
import type { Activities } from './activities/index.js'

const { pingDatabase } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
})

/** Proves the wiring: a workflow on the `pathways` queue runs an activity that uses the app container. */
export async function ping(message: string): Promise<string> {
  const databaseTime = await pingDatabase(message)
  return `pong: ${message} (database time ${databaseTime})`
}
