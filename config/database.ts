import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/*
| Two connections to the same database:
| - `app` (default): a role that owns nothing and has no BYPASSRLS, so row-level
|   security applies to every query the API and the worker make;
| - `owner`: the table owner, used only by migrations (`--connection=owner`) and by
|   test helpers that reset data.
| Pool of `app`: the authenticated path reads from Redis, so a request holds a connection only
| for its own queries (a school route: one transaction, BEGIN + RLS settings in one round trip).
| A PostgreSQL core runs one query at a time: more connections than ~2-4 per core only queue
| inside the server, where waiting costs memory and context switches; waiting in this pool is
| cheaper. So max 10 per API process by default (DATABASE_POOL_MAX; replicas x max + workers must
| stay under max_connections), and min 2 kept open so an idle replica's next request does not pay
| a connection setup (TCP + SCRAM) on the authenticated path.
*/
const migrations = { naturalSort: true, paths: ['database/migrations'] }

const dbConfig = defineConfig({
  connection: 'app',
  prettyPrintDebugQueries: false,
  connections: {
    app: {
      client: 'pg',
      // pipeline: a tenant transaction's BEGIN + RLS settings and its first query share one
      // round trip (app/services/platform/tenant_context.ts). Each query is still awaited by its
      // caller, so nothing else changes; cursors/streams are refused on such a connection.
      // (pg 8.23's client option; Lucid's connection type does not list it yet)
      connection: { connectionString: env.get('DATABASE_URL'), ...{ pipeline: true } },
      pool: { min: 2, max: env.get('DATABASE_POOL_MAX', 10) },
      migrations,
    },
    owner: {
      client: 'pg',
      connection: env.get('DATABASE_OWNER_URL') ?? env.get('DATABASE_URL'),
      pool: { min: 0, max: 2 },
      migrations,
    },
  },
})

export default dbConfig
