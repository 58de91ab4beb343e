/* Operations: health, OpenAPI document and docs page, API index. */
import router from '@adonisjs/core/services/router'

const HealthController = () => import('#controllers/health_controller')
const OpenApiController = () => import('#controllers/openapi_controller')
const ApiIndexController = () => import('#controllers/api_index_controller')

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

router.get('/health/live', [HealthController, 'live']).doc({
  summary: 'Liveness probe',
  tags: ['Operations'],
  security: 'none',
  responses: { 200: { description: 'The process serves HTTP', schema: { type: 'object' } } },
})
router.get('/health/ready', [HealthController, 'ready']).doc({
  summary: 'Readiness probe (PostgreSQL, Redis, Temporal, S3, search)',
  tags: ['Operations'],
  security: 'none',
  responses: {
    200: { description: 'Every dependency answers', schema: healthReport },
    503: { description: 'At least one dependency is failing' },
  },
})
router.get('/openapi.json', [OpenApiController, 'document']).doc({
  summary: 'This OpenAPI 3.1 document',
  tags: ['Operations'],
  security: 'none',
  responses: { 200: { description: 'The document', schema: { type: 'object' } } },
})
router.get('/docs', [OpenApiController, 'page']).doc({
  summary: 'Readable API documentation',
  tags: ['Operations'],
  security: 'none',
  responses: {
    200: { description: 'HTML page', contentType: 'text/html', schema: { type: 'string' } },
  },
})
// The documentation page's assets are a fixed set: the matcher puts their names in the document.
router
  .get('/docs/assets/:file', [OpenApiController, 'asset'])
  .where('file', {
    match: /^(docs\.js|swagger-ui\.css|swagger-ui-bundle\.js|swagger-ui-standalone-preset\.js)$/,
  })
  .doc({
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
  })

router
  .group(() => {
    router.get('/', [ApiIndexController, 'show']).doc({
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
    })
  })
  .prefix('/v1')
