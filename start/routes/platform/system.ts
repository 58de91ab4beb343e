/* Operations: health, OpenAPI document and docs page, API index. */
import router from '@adonisjs/core/services/router'
import { healthDocs, openApiDocs, apiIndexDocs } from '#validators/platform/system_docs'

const HealthController = () => import('#controllers/platform/health_controller')
const OpenApiController = () => import('#controllers/platform/openapi_controller')
const ApiIndexController = () => import('#controllers/platform/api_index_controller')

router.get('/health/live', [HealthController, 'live']).doc(healthDocs.live)
router.get('/health/ready', [HealthController, 'ready']).doc(healthDocs.ready)
router.get('/openapi.json', [OpenApiController, 'document']).doc(openApiDocs.document)
router.get('/docs', [OpenApiController, 'page']).doc(openApiDocs.page)
// The documentation page's assets are a fixed set: the matcher puts their names in the document.
router
  .get('/docs/assets/:file', [OpenApiController, 'asset'])
  .where('file', {
    match: /^(docs\.js|swagger-ui\.css|swagger-ui-bundle\.js|swagger-ui-standalone-preset\.js)$/,
  })
  .doc(openApiDocs.asset)

router
  .group(() => {
    router.get('/', [ApiIndexController, 'show']).doc(apiIndexDocs.show)
  })
  .prefix('/v1')
