import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/*
| Two connections to the same database:
| - `app` (default): a role that owns nothing and has no BYPASSRLS, so row-level
|   security applies to every query the API and the worker make;
| - `owner`: the table owner, used only by migrations (`--connection=owner`) and by
|   test helpers that reset data.
*/
const migrations = { naturalSort: true, paths: ['database/migrations'] }

const dbConfig = defineConfig({
  connection: 'app',
  prettyPrintDebugQueries: false,
  connections: {
    app: {
      client: 'pg',
      connection: env.get('DATABASE_URL'),
      pool: { min: 0, max: env.get('DATABASE_POOL_MAX', 10) },
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
