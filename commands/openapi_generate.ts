import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Writes the OpenAPI document built from the routes' `.doc()` blocks. With
 * `--update-snapshot` it also replaces the committed contract snapshot
 * (tests/contract/openapi.snapshot.json) after a reviewed API change.
 */
export default class OpenApiGenerate extends BaseCommand {
  static commandName = 'openapi:generate'
  static description =
    'Write the OpenAPI 3.1 document (and optionally update the contract snapshot)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Where to write the document', default: 'build/openapi.json' })
  declare output: string

  @flags.boolean({ description: 'Also overwrite tests/contract/openapi.snapshot.json' })
  declare updateSnapshot: boolean

  async run() {
    const { publishedDocument, writeDocument, SNAPSHOT_PATH } =
      await import('#services/platform/openapi/snapshot')
    const document = await publishedDocument()
    await writeDocument(this.app.makePath(this.output), document)
    this.logger.success(`wrote ${this.output} (${Object.keys(document.paths).length} paths)`)
    if (this.updateSnapshot) {
      await writeDocument(this.app.makePath(SNAPSHOT_PATH), document)
      this.logger.success(`updated ${SNAPSHOT_PATH}`)
    }
  }
}
