import { existsSync } from 'node:fs'
import type { ApplicationService } from '@adonisjs/core/types'

/** The file the worker bundles: TypeScript in a checkout, JavaScript after `node ace build`. */
export function workflowsEntry(app: ApplicationService) {
  const source = app.makePath('workflows/index.ts')
  return existsSync(source) ? source : app.makePath('workflows/index.js')
}
