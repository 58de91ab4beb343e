/* OpenAPI descriptions of the routes in start/routes/platform/system.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'

const healthReport = {
  type: 'object',
  properties: {
    status: { enum: ['ok', 'warning', 'error'] },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          status: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
}

export const healthDocs = {
  live: {
    summary: 'Liveness probe',
    tags: ['Operations'],
    security: 'none',
    responses: { 200: { description: 'The process serves HTTP', schema: { type: 'object' } } },
  },
  ready: {
    summary: 'Readiness probe (PostgreSQL, Redis, Temporal, S3, search)',
    tags: ['Operations'],
    security: 'none',
    responses: {
      200: { description: 'Every dependency answers', schema: healthReport },
      503: { description: 'At least one dependency is failing' },
    },
  },
} satisfies Record<string, RouteDoc>

export const openApiDocs = {
  document: {
    summary: 'This OpenAPI 3.1 document',
    tags: ['Operations'],
    security: 'none',
    responses: { 200: { description: 'The document', schema: { type: 'object' } } },
  },
  page: {
    summary: 'Readable API documentation',
    tags: ['Operations'],
    security: 'none',
    responses: {
      200: { description: 'HTML page', contentType: 'text/html', schema: { type: 'string' } },
    },
  },
  asset: {
    summary: 'Static assets of the documentation page',
    tags: ['Operations'],
    security: 'none',
    responses: {
      200: {
        description: 'CSS or JavaScript',
        contentType: ['text/css', 'text/javascript'],
        schema: { type: 'string' },
      },
    },
  },
} satisfies Record<string, RouteDoc>

export const apiIndexDocs = {
  show: {
    summary: 'API index',
    tags: ['Operations'],
    security: 'none',
    responses: {
      200: {
        description: 'Name, version and links',
        schema: {
          type: 'object',
          required: ['name', 'version'],
          properties: {
            name: { type: 'string' },
            version: { type: 'string' },
            links: { type: 'object' },
          },
        },
      },
    },
  },
} satisfies Record<string, RouteDoc>
