import { indexEntities } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  experimental: {},

  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/mail/commands'),
    () => import('@adonisjs/bouncer/commands'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('#providers/database_commit_provider'),
    () => import('@adonisjs/cors/cors_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/ally/ally_provider'),
    () => import('#providers/temporal_provider'),
    () => import('#providers/storage_provider'),
    () => import('#providers/openapi_provider'),
    () => import('#providers/internal_tls_provider'),
    () => import('#providers/search_provider'),
  ],

  preloads: [() => import('#start/routes'), () => import('#start/kernel')],

  tests: {
    suites: [
      { name: 'unit', files: ['tests/unit/**/*.spec.ts'], timeout: 5000 },
      { name: 'functional', files: ['tests/functional/**/*.spec.ts'], timeout: 30000 },
      { name: 'workflows', files: ['tests/workflows/**/*.spec.ts'], timeout: 120000 },
      { name: 'e2e', files: ['tests/e2e/**/*.spec.ts'], timeout: 120000 },
      { name: 'security', files: ['tests/security/**/*.spec.ts'], timeout: 60000 },
      { name: 'contract', files: ['tests/contract/**/*.spec.ts'], timeout: 30000 },
      // Real processes stopped and restarted (private servers on their own ports).
      { name: 'faults', files: ['tests/faults/**/*.spec.ts'], timeout: 300000 },
      { name: 'conformance', files: ['tests/conformance/**/*.spec.ts'], timeout: 400000 },
    ],
    forceExit: true,
  },

  // Non-TypeScript files the app reads at run time, copied into build/ by `node ace build`.
  metaFiles: [{ pattern: 'app/**/*.txt', reloadServer: false }],

  hooks: {
    init: [indexEntities()],
  },
})
