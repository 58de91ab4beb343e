/* The worker bundles this file: export every workflow here (one file per workflow). */
export { ping } from './ping.js'
export { cohortReport } from './cohort_report.js'
export { jobIngestion } from './job_ingestion.js'
export { staffInvitation } from './staff_invitation.js'
export { profileNudges } from './profile_nudges.js'
export { mfaRecovery } from './mfa_recovery.js'
