/*
| Validates every response the functional suites receive against the OpenAPI
| document built from the routes' `.doc()` blocks. Registered once as an
| `ApiClient.teardown` hook in tests/bootstrap.ts, so a test fails when a route
| answers with a status code it does not document or a body that does not match
| the documented schema.
*/
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ApiResponse } from '@japa/api-client'
import { buildOpenApiDocument } from '#services/platform/openapi/document'

type Json = Record<string, any>

interface Operation {
  path: string
  regex: RegExp
  literalLength: number
  methods: Record<string, Json>
}

/** Test-only routes (registered by a spec file, never in production) are not documented. */
const UNDOCUMENTED_PREFIXES = ['/__test']

let cache: { operations: Operation[]; components: Json } | undefined
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const compiled = new Map<string, ValidateFunction>()

function documentOperations() {
  if (cache) return cache
  const document = buildOpenApiDocument({ version: 'test' }) as Json
  const operations: Operation[] = Object.entries<Json>(document.paths).map(([path, methods]) => ({
    path,
    regex: new RegExp(
      '^' +
        path
          .split(/(\{[^}]+\})/)
          .map((part) =>
            part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          )
          .join('') +
        '/?$'
    ),
    literalLength: path.replace(/\{[^}]+\}/g, '').length,
    methods,
  }))
  // Literal segments win over parameters (`/me/sessions` before `/me/{id}`).
  operations.sort((a, b) => b.literalLength - a.literalLength)
  cache = { operations, components: document.components }
  return cache
}

/** Replaces `#/components/...` references with the component itself. */
function inline(schema: unknown, components: Json, depth = 0): unknown {
  if (depth > 20 || !schema || typeof schema !== 'object') return schema
  if (Array.isArray(schema)) return schema.map((item) => inline(item, components, depth + 1))
  const object = schema as Json
  if (typeof object.$ref === 'string' && object.$ref.startsWith('#/components/')) {
    const [, , kind, name] = object.$ref.split('/')
    return inline(components[kind]?.[name], components, depth + 1)
  }
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [key, inline(value, components, depth + 1)])
  )
}

function validatorFor(key: string, schema: Json, components: Json) {
  let validate = compiled.get(key)
  if (!validate) {
    validate = ajv.compile(inline(schema, components) as Json)
    compiled.set(key, validate)
  }
  return validate
}

export class ContractViolation extends Error {}

/** Throws a ContractViolation when the response does not match the document. */
export function assertResponseMatchesContract(
  method: string,
  url: string,
  status: number,
  contentType: string | undefined,
  body: unknown,
  text: string
) {
  const pathname = new URL(url, 'http://localhost').pathname
  if (UNDOCUMENTED_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return
  if (method === 'HEAD' || method === 'OPTIONS') return
  const { operations, components } = documentOperations()
  const where = `${method} ${pathname} -> ${status}`

  const match = operations.find((candidate) => candidate.regex.test(pathname))
  const operation = match?.methods[method.toLowerCase()]
  let response: Json | undefined
  if (!operation) {
    // Unknown routes and wrong methods answer with the generic problem document.
    if (status !== 404 && status !== 405) {
      throw new ContractViolation(`[contract] ${where}: no documented operation matches`)
    }
    response = {
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }
  } else {
    response = operation.responses?.[String(status)]
    if (!response) {
      throw new ContractViolation(
        `[contract] ${where}: status ${status} is not documented for ${method} ${match!.path} ` +
          `(documented: ${Object.keys(operation.responses ?? {}).join(', ')}). Body: ${text.slice(0, 300)}`
      )
    }
  }

  const content: Json | undefined = response.content
  if (!content || status === 204) return
  const mediaType = (contentType ?? '').split(';')[0].trim()
  const entry = content[mediaType]
  if (!entry) {
    if (!text) return
    throw new ContractViolation(
      `[contract] ${where}: content type "${mediaType}" is not documented ` +
        `(documented: ${Object.keys(content).join(', ')})`
    )
  }
  if (!entry.schema) return
  const isJson = /[/+]json$/.test(mediaType)
  const value = isJson ? body : text
  const validate = validatorFor(
    `${method} ${match?.path ?? '*'} ${status} ${mediaType}`,
    entry.schema,
    components
  )
  if (!validate(value)) {
    const errors = (validate.errors ?? [])
      .slice(0, 10)
      .map(
        (error) =>
          `  ${error.instancePath || '(root)'} ${error.message} ${JSON.stringify(error.params)}`
      )
      .join('\n')
    throw new ContractViolation(
      `[contract] ${where}: body does not match the documented schema of ${method} ${match?.path ?? '(problem)'}:\n${errors}\nBody: ${text.slice(0, 500)}`
    )
  }
}

/** `ApiClient.teardown` hook. */
export function validateResponseAgainstOpenApi(response: ApiResponse) {
  const request = response.request as unknown as { config: { method: string; endpoint: string } }
  let body: unknown
  try {
    body = response.body()
  } catch {
    body = undefined
  }
  assertResponseMatchesContract(
    request.config.method,
    request.config.endpoint,
    response.status(),
    response.header('content-type'),
    body,
    response.text() ?? ''
  )
}
