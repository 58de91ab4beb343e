/*
| Migrations must run as the table owner. Run as the app role they would create tables
| the app owns — and an owner can switch row-level security off. So every command that
| changes the schema refuses to start unless it targets the `owner` connection and
| DATABASE_OWNER_URL names a role other than the app's.
*/
const SCHEMA_COMMANDS = new Set([
  'migration:run',
  'migration:rollback',
  'migration:reset',
  'migration:refresh',
  'migration:fresh',
  'db:wipe',
])

export function isSchemaCommand(commandName: string) {
  return SCHEMA_COMMANDS.has(commandName)
}

function roleOf(url: string | undefined) {
  try {
    return url ? decodeURIComponent(new URL(url).username) : ''
  } catch {
    return ''
  }
}

export class MigrationGuardError extends Error {}

/** Throws (before any query) when a schema command would not run as the owner role. */
export function assertRunsAsOwner(
  commandName: string,
  connection: string | undefined,
  urls: { DATABASE_URL?: string; DATABASE_OWNER_URL?: string }
) {
  if (!isSchemaCommand(commandName)) return
  if (connection !== 'owner') {
    throw new MigrationGuardError(
      `${commandName} runs only as the table owner: pass --connection=owner (DATABASE_OWNER_URL).`
    )
  }
  if (!urls.DATABASE_OWNER_URL) {
    throw new MigrationGuardError(
      `${commandName} needs DATABASE_OWNER_URL: the URL of the role that owns the tables.`
    )
  }
  const ownerRole = roleOf(urls.DATABASE_OWNER_URL)
  if (!ownerRole || ownerRole === roleOf(urls.DATABASE_URL)) {
    throw new MigrationGuardError(
      `${commandName} refused: DATABASE_OWNER_URL connects as the app role of DATABASE_URL.`
    )
  }
}
