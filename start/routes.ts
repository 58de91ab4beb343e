/*
| Routes, one folder per area under start/routes/ (identity, tenancy, profiles, jobs, platform, as
| in app/), one line per route plus its middleware.
| Every route carries `.doc(...)` with its OpenAPI description, kept beside the validators in
| app/validators/<area>/<name>_docs.ts: the document is built from these, and a test fails when a
| route has none.
| School-scoped routes live under `/v1/schools/:schoolId` with
| `[middleware.auth(), middleware.school()]` (school context + RLS transaction).
*/
import router from '@adonisjs/core/services/router'
import { uuidMatcher } from '#services/platform/openapi/route_doc'
import '#start/routes/platform/system'
import '#start/routes/identity/auth'
import '#start/routes/identity/account_security'
import '#start/routes/identity/oauth'
import '#start/routes/tenancy/schools'
import '#start/routes/jobs/jobs'
import '#start/routes/profiles/profiles'
import '#start/routes/tenancy/invitations'
import '#start/routes/identity/mfa_recovery'
import '#start/routes/platform/audit'
import '#start/routes/platform/users'
import '#start/routes/identity/machine_clients'

/* Ids in paths are UUIDs: anything else is an unknown path (404), never a database error. */
for (const param of ['schoolId', 'id', 'cohortId', 'membershipId', 'clientId']) {
  router.where(param, uuidMatcher())
}
