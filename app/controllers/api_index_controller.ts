import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'

const { version } = JSON.parse(await readFile(app.makePath('package.json'), 'utf8'))

export default class ApiIndexController {
  /** A trivial public route: where the docs are (also the benchmarks' baseline). */
  show() {
    return { name: 'pathways', version, links: { openapi: '/openapi.json', docs: '/docs' } }
  }
}
