/* OpenAPI descriptions of the routes in start/routes/platform/system.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import { object } from '#validators/platform/common_docs'

const str = { type: 'string' }
const healthReport = {
  type: 'object',
  properties: {
    status: { enum: ['ok', 'warning', 'error'] },
    checks: {
      type: 'array',
      items: { type: 'object', properties: { name: str, status: str, message: str } },
    },
  },
}
const ops = docArea({ tags: ['Operations'], security: 'none' })

export const healthDocs = {
  live: ops('Liveness probe', { 200: ['The process serves HTTP', object] }),
  ready: ops('Readiness probe (PostgreSQL, Redis, Temporal, S3, search)', {
    200: ['Every dependency answers', healthReport],
    503: 'At least one dependency is failing',
  }),
}

export const openApiDocs = {
  document: ops('This OpenAPI 3.1 document', { 200: ['The document', object] }),
  page: ops('Readable API documentation', {
    200: { description: 'HTML page', contentType: 'text/html', schema: str },
  }),
  asset: ops('Static assets of the documentation page', {
    200: {
      description: 'CSS or JavaScript',
      contentType: ['text/css', 'text/javascript'],
      schema: str,
    },
  }),
}

const index = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: str, version: str, links: object },
}

export const apiIndexDocs = {
  show: ops('API index', { 200: ['Name, version and links', index] }),
}
