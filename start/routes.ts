/*
| Routes, one file per area under start/routes/, one line per route plus its middleware.
| Every route carries `.doc(...)` with its OpenAPI description, kept beside the validators in
| app/validators/<area>_docs.ts: the document is built from these, and a test fails when a
| route has none.
| School-scoped routes live under `/v1/schools/:schoolId` with
| `[middleware.auth(), middleware.school()]` (school context + RLS transaction).
*/
import router from '@adonisjs/core/services/router'
import { uuidMatcher } from '#services/openapi/route_doc'
import '#start/routes/system'
import '#start/routes/identity'
import '#start/routes/account_security'
import '#start/routes/oauth'
import '#start/routes/tenancy'
import '#start/routes/jobs'
import '#start/routes/profiles'
import '#start/routes/invitations'
import '#start/routes/mfa_recovery'
import '#start/routes/audit'
import '#start/routes/platform_users'
import '#start/routes/machine'

/* Ids in paths are UUIDs: anything else is an unknown path (404), never a database error. */
for (const param of ['schoolId', 'id', 'cohortId', 'membershipId', 'clientId']) {
  router.where(param, uuidMatcher())
}
