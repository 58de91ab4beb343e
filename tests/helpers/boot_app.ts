/*
| Boots the Adonis application (console mode, services from the environment) for a
| benchmark or a test's child process. Import it first: `const app = await bootApp()`.
*/
import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'

export async function bootApp() {
  const root = new URL('../../', import.meta.url)
  const app = new Ignitor(root, {
    importer: (file) => import(file.startsWith('.') ? new URL(file, root).href : file),
  })
    .tap((a) => a.booting(async () => void (await import('#start/env'))))
    .createApp('console')
  await app.init()
  await app.boot()
  await app.start(() => {})
  return app
}
