/*
| Durations of the durable workflows (Temporal duration strings: '3 days', '10 seconds').
| Read from the environment so tests and staging can run them in seconds.
*/
const read = (name: string, fallback: string) => process.env[name] || fallback

const workflowsConfig = {
  invitation: {
    reminderAfter: read('INVITATION_REMINDER_AFTER', '3 days'),
    expiresAfter: read('INVITATION_EXPIRES_AFTER', '7 days'),
  },
  nudges: {
    /** offsets from the membership becoming active, comma-separated */
    offsets: read('PROFILE_NUDGE_OFFSETS', '2 days,7 days,14 days')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean),
  },
  mfaRecovery: {
    verifyWithin: read('MFA_RECOVERY_VERIFY_WITHIN', '1 hour'),
    coolingOff: read('MFA_RECOVERY_COOLING_OFF', '24 hours'),
  },
}

export type WorkflowsConfig = typeof workflowsConfig
export default workflowsConfig

/** How long an API request waits for a workflow update (resend) before answering 503. */
export function updateDeadlineMs() {
  return Number(process.env.WORKFLOW_UPDATE_DEADLINE_MS) || 10_000
}
