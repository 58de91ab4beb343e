import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Typo tolerance for the PostgreSQL search adapter: edit distance between a query word and
 * each title word (levenshtein from the trusted contrib extension fuzzystrmatch), the same
 * rule the engines apply with `fuzziness: AUTO`.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS fuzzystrmatch')
  }

  async down() {
    this.schema.raw('DROP EXTENSION IF EXISTS fuzzystrmatch')
  }
}
