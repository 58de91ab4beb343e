import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

/* Runs for every request, matched or not (so 404s get a request id too). */
server.use([
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/security_headers_middleware'),
  () => import('#middleware/force_json_response_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('@adonisjs/cors/cors_middleware'),
])

/* Runs for matched routes only. */
router.use([
  () => import('#middleware/audit_request_middleware'),
  () => import('#middleware/rate_limit_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#middleware/json_object_body_middleware'),
  () => import('#middleware/untrimmed_passwords_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  auth: () => import('#middleware/auth_middleware'),
  school: () => import('#middleware/school_context_middleware'),
  client: () => import('#middleware/client_auth_middleware'),
})
