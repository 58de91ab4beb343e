/*
| Ace entrypoint. Commands boot the application only when they set `startApp`.
*/
await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listen('SIGINT', () => app.terminate())
  })
  .ace()
  .configure(async (app) => {
    // Schema changes run only as the owner role (database/migration_guard.ts).
    const { assertRunsAsOwner, isSchemaCommand } = await import('#database/migration_guard')
    const kernel = await app.container.make('ace')
    kernel.executing(async (command) => {
      const name = (command.constructor as unknown as { commandName: string }).commandName
      if (!isSchemaCommand(name)) return
      const { default: env } = await import('#start/env')
      assertRunsAsOwner(name, (command as { connection?: string }).connection, {
        DATABASE_URL: env.get('DATABASE_URL'),
        DATABASE_OWNER_URL: env.get('DATABASE_OWNER_URL'),
      })
    })
  })
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
