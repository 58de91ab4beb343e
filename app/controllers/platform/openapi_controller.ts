import { createReadStream } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { HttpContext } from '@adonisjs/core/http'
import { buildOpenApiDocument } from '#services/platform/openapi/document'
import { appUrl } from '#config/app'
import { appVersion } from '#services/platform/app_version'
import { ProblemException } from '#exceptions/problem_exception'

const swaggerDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const DOCS_ASSETS = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
])

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Pathways API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/docs.js"></script>
</body>
</html>`

/* validatorUrl: null — Swagger UI would otherwise load a badge from an outside validator. */
const DOCS_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, validatorUrl: null })`

let builtDocument: ReturnType<typeof buildOpenApiDocument> | undefined

export default class OpenApiController {
  /** The OpenAPI 3.1 document, generated from the routes and their validators. */
  document() {
    // Routes are frozen once the server starts, so the document is built once.
    builtDocument ??= buildOpenApiDocument({ version: appVersion(), serverUrl: appUrl })
    return builtDocument
  }

  /** A readable page (Swagger UI, served from the npm package: no CDN; CSP in security_headers). */
  page({ response }: HttpContext) {
    response.header('content-type', 'text/html; charset=utf-8')
    return DOCS_PAGE
  }

  asset({ params, response }: HttpContext) {
    if (params.file === 'docs.js') {
      response.header('content-type', 'text/javascript; charset=utf-8')
      return DOCS_SCRIPT
    }
    if (!DOCS_ASSETS.has(params.file)) throw ProblemException.notFound()
    response.header('cache-control', 'public, max-age=86400')
    response.type(params.file)
    return response.stream(createReadStream(join(swaggerDist, params.file)))
  }
}
