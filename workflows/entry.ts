import { existsSync } from 'node:fs'
import type { ApplicationService } from '@adonisjs/core/types'

/** The file the worker bundles: TypeScript in a checkout, JavaScript after `node ace build`. */
export function workflowsEntry(app: ApplicationService) {
  const source = app.makePath('workflows/index.ts')
  return existsSync(source) ? source : app.makePath('workflows/index.js')
}

/** Where `node ace temporal:bundle` writes the workflow bundle by default (git-ignored). */
export function workflowBundlePath(app: ApplicationService) {
  return app.makePath('workflow_bundle.js')
}

/**
 * Worker options selecting the workflow code: the prebuilt bundle when it exists (the image
 * builds it, so a pod starts without running webpack), else the sources bundled at start (dev/test).
 */
export function workflowCodeOptions(
  app: ApplicationService
): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = workflowBundlePath(app)
  return existsSync(bundle)
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath: workflowsEntry(app) }
}
