/*
| Routes, one file per area under start/routes/. Every route carries `.doc({...})`:
| the OpenAPI document is built from these, and a test fails when a route has none.
| School-scoped routes live under `/v1/schools/:schoolId` with
| `[middleware.auth(), middleware.school()]` (school context + RLS transaction).
*/
import '#start/routes/system'
import '#start/routes/identity'
import '#start/routes/tenancy'
