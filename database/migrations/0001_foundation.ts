import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/**
 * Runs as the table owner. The application role (the user in DATABASE_URL) gets
 * DML on every table this owner creates from now on, and nothing else: it owns
 * no table, so row-level security always applies to it.
 */
export default class extends BaseSchema {
  async up() {
    const appRole = decodeURIComponent(new URL(env.get('DATABASE_URL')).username)
    const quoted = `"${appRole.replaceAll('"', '""')}"`

    this.schema.raw('CREATE EXTENSION IF NOT EXISTS citext')
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    this.schema.raw(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${quoted}`
    )
    this.schema.raw(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${quoted}`
    )
    this.schema.raw(`GRANT USAGE ON SCHEMA public TO ${quoted}`)
  }

  async down() {
    const appRole = decodeURIComponent(new URL(env.get('DATABASE_URL')).username)
    const quoted = `"${appRole.replaceAll('"', '""')}"`
    this.schema.raw(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${quoted}`
    )
    this.schema.raw(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ${quoted}`
    )
  }
}
