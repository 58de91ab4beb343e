import { appVersion } from '#services/platform/app_version'

export default class ApiIndexController {
  /** A trivial public route: where the docs are (also the benchmarks' baseline). */
  show() {
    return {
      name: 'pathways',
      version: appVersion(),
      links: { openapi: '/openapi.json', docs: '/docs' },
    }
  }
}
