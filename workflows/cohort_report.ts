import { proxyActivities } from '@temporalio/workflow'
import type { Activities } from './activities/index.js'

export interface CohortReportInput {
  schoolId: string
  reportId: string
}

/** Generates a cohort profile-completion CSV into the reports bucket (id `report:{schoolId}:{reportId}`). */
export async function cohortReport(input: CohortReportInput): Promise<void> {
  const { generateCohortReport, markReportFailed } = proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '1 second', maximumAttempts: 3 },
  })
  try {
    await generateCohortReport(input.schoolId, input.reportId)
  } catch (error) {
    await markReportFailed(input.schoolId, input.reportId, (error as Error).message ?? 'failed')
    throw error
  }
}
