/** Report activities: idempotent (a ready report is left as is; the object key is fixed per report). */
export function reportsActivities() {
  return {
    async generateCohortReport(schoolId: string, reportId: string): Promise<void> {
      const { generateReport } = await import('#services/profiles/report_service')
      await generateReport(schoolId, reportId)
    },
    async markReportFailed(schoolId: string, reportId: string, message: string): Promise<void> {
      const { failReport } = await import('#services/profiles/report_service')
      await failReport(schoolId, reportId, message)
    },
  }
}
