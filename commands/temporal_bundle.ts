import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { bundleWorkflowCode } from '@temporalio/worker'
import { workflowBundlePath, workflowsEntry } from '#workflows/entry'

/**
 * Bundles the workflow code once (webpack) into a file the worker loads at start, so that a
 * worker pod starts without bundling. Needs no environment: the app is not started.
 */
export default class TemporalBundle extends BaseCommand {
  static commandName = 'temporal:bundle'
  static description = 'Write the prebuilt Temporal workflow bundle used by temporal:worker'
  static options: CommandOptions = { startApp: false }

  @flags.string({ description: 'Output file (default: <app root>/workflow_bundle.js)' })
  declare output?: string

  async run() {
    const output = this.output ? resolve(this.output) : workflowBundlePath(this.app)
    const { code } = await bundleWorkflowCode({ workflowsPath: workflowsEntry(this.app) })
    await mkdir(dirname(output), { recursive: true })
    await writeFile(output, code)
    this.logger.success(
      `workflow bundle written to ${output} (${Math.round(code.length / 1024)} KiB)`
    )
  }
}
