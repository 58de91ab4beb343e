/** profileNudges activities: read-only completion checks and nudge mail sent once per key. */
export function profileNudgesActivities() {
  return {
    async checkProfileCompletion(schoolId: string, membershipId: string) {
      const { checkCompletion } = await import('#services/profiles/profile_nudges_service')
      return checkCompletion(schoolId, membershipId)
    },
    async sendProfileNudge(schoolId: string, membershipId: string, idempotencyKey: string) {
      const { sendNudge } = await import('#services/profiles/profile_nudges_service')
      return sendNudge(schoolId, membershipId, idempotencyKey)
    },
  }
}
