import type { Router } from '@adonisjs/core/http'
import { UNTHROTTLED_ROUTES } from '#services/platform/rate_limit'
import {
  routeDocs,
  UUID_PATTERN,
  type JsonSchema,
  type RouteDoc,
} from '#services/platform/openapi/route_doc'

export const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string' },
          message: { type: 'string' },
          rule: { type: 'string' },
        },
      },
    },
  },
}

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Malformed request (for example invalid JSON)',
  429: 'Rate limit exceeded; see Retry-After',
  500: 'Unexpected server error (no internals are exposed)',
  503: 'A dependency (database, Redis, Temporal, storage, search) is unavailable; retry after Retry-After',
}

/** IETF draft RateLimit headers, sent on every rate-limited response. */
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' } },
  'RateLimit-Remaining': {
    description: 'Requests left in the window',
    schema: { type: 'integer' },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer' },
  },
}

function retryAfter(description: string) {
  return { description, schema: { type: 'integer', minimum: 0 } }
}

/** Sent on every answer of a deprecated operation (see app/middleware/deprecation_headers.ts). */
const DEPRECATION_HEADERS = {
  Deprecation: {
    description: 'When the operation was deprecated (RFC 9745 structured date, `@<unix seconds>`)',
    schema: { type: 'string', pattern: '^@-?\\d+$' },
  },
  Sunset: {
    description: 'When the operation stops working (RFC 8594 HTTP date)',
    schema: { type: 'string' },
  },
}

/** `/v1/schools/:schoolId` -> `/v1/schools/{schoolId}` */
export function toOpenApiPath(pattern: string) {
  return pattern.replace(/:([A-Za-z0-9_]+)\??/g, '{$1}')
}

export function operationKey(method: string, pattern: string) {
  return `${method.toUpperCase()} ${toOpenApiPath(pattern)}`
}

function problemResponse(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  }
}

/** What the body parser's trim (JavaScript's `String.prototype.trim`) removes, spelled out
 * because regex engines disagree on `\s` (Python's leaves out U+FEFF, and adds U+001C-U+001F). */
const TRIMMED =
  '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'
const WHITESPACE_ONLY: JsonSchema = { type: 'string', pattern: `^[${TRIMMED}]*$` }

/**
 * The body parser trims every string before validation (`trimWhitespaces`), so a minimum
 * length counts what is left after trimming: a pattern says so (a whitespace-only password is
 * read as absent, not as a one-character password).
 */
function trimmedMinLength(schema: JsonSchema): JsonSchema {
  const types = [schema.type].flat()
  const constrained = schema.format || schema.enum || schema.const !== undefined
  const min = Number(schema.minLength ?? 0)
  if (!types.includes('string') || constrained || min < 1) return schema
  const edge = `[^${TRIMMED}]`
  const trimmed = min === 1 ? edge : `${edge}[\\s\\S]{${min - 2},}${edge}`
  // A string with a pattern of its own must match both (a whitespace-only file name is empty).
  if (schema.pattern) return { ...schema, allOf: [{ pattern: trimmed }] }
  return { ...schema, pattern: trimmed }
}

/**
 * Request bodies as the server reads them: the body parser trims strings and turns "" into
 * null (`trimWhitespaces`, `convertEmptyStringsToNull`), so a required string needs a character
 * other than whitespace, and an optional field accepts null or whitespace (VineJS reads both as
 * absent).
 */
export function requireNonEmptyStrings(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema
  if (Array.isArray(schema)) return schema.map(requireNonEmptyStrings)
  const object = trimmedMinLength(
    Object.fromEntries(
      Object.entries(schema as JsonSchema).map(([key, value]) => [
        key,
        requireNonEmptyStrings(value),
      ])
    ) as JsonSchema
  )
  // VineJS drops unknown fields rather than refusing them (a tolerant reader).
  if (object.additionalProperties === false) delete object.additionalProperties
  const properties = object.properties as Record<string, JsonSchema> | undefined
  const required = Array.isArray(object.required) ? (object.required as string[]) : []
  // VineJS treats null (and so "") like an absent optional field.
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (required.includes(name)) continue
    let relaxed = property
    if (property.type && ![property.type].flat().includes('null')) {
      relaxed = { ...property, type: [...[property.type].flat(), 'null'] }
    } else if (Array.isArray(property.enum) && !property.enum.includes(null)) {
      relaxed = { ...property, enum: [...property.enum, null] }
    }
    const isString = [property.type].flat().includes('string') || property.enum
    if (isString && (property.pattern || property.minLength || property.enum || property.format)) {
      relaxed = { anyOf: [relaxed, WHITESPACE_ONLY] }
    }
    properties![name] = relaxed
  }
  if (properties && required.length) {
    for (const name of required) {
      const property = properties[name]
      const types = [property?.type].flat()
      if (property && types.includes('string') && !types.includes('null') && !property.minLength) {
        properties[name] = trimmedMinLength({ ...property, minLength: 1 })
      }
    }
  }
  return object
}

/** A body whose fields are all optional may be left out: the server reads it as `{}`. */
function requestBody(doc: RouteDoc) {
  const schema = bodySchema(doc)
  const required = Boolean((schema.required as string[] | undefined)?.length || schema.anyOf)
  return { required, content: { 'application/json': { schema } } }
}

function bodySchema(doc: RouteDoc) {
  const generated = doc.body!.toJSONSchema() as JsonSchema
  if (doc.bodyProperties) {
    generated.properties = { ...(generated.properties as object), ...doc.bodyProperties }
  }
  const schema = requireNonEmptyStrings(generated) as JsonSchema
  if (!doc.bodyRequiresOneOf) return schema
  // "One of them is present" as the server reads it: not null, not only whitespace.
  const given = (generated.properties ?? {}) as Record<string, JsonSchema>
  const present = (property: JsonSchema = {}) => {
    const types = [property.type].flat().filter((type) => type !== undefined && type !== 'null')
    const base = types.length
      ? { ...property, type: types.length === 1 ? types[0] : types }
      : property
    return types.includes('string')
      ? trimmedMinLength({ ...base, minLength: Math.max(1, Number(base.minLength ?? 0)) })
      : base
  }
  return {
    ...schema,
    anyOf: doc.bodyRequiresOneOf.map((name) => ({
      required: [name],
      properties: { [name]: present(given[name]) },
    })),
  }
}

function queryParameters(doc: RouteDoc) {
  if (!doc.query) return []
  const schema = doc.query.toJSONSchema() as {
    properties?: Record<string, JsonSchema>
    required?: string[]
  }
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }))
}

/** The router's UUID matcher (its character class is laxer than RFC 9562; the format says what we mean). */
const UUID_MATCHER_SOURCE =
  '^[0-9a-zA-F]{8}-[0-9a-zA-F]{4}-[0-9a-zA-F]{4}-[0-9a-zA-F]{4}-[0-9a-zA-F]{12}$'

type Matchers = Record<string, { match?: RegExp } | undefined>

/** A path parameter's schema says what the router accepts, so generated values reach the route. */
function pathParameterSchema(matcher: { match?: RegExp } | undefined): JsonSchema {
  if (!(matcher?.match instanceof RegExp)) return { type: 'string' }
  if ([UUID_MATCHER_SOURCE, UUID_PATTERN.source].includes(matcher.match.source)) {
    return { type: 'string', format: 'uuid' }
  }
  return { type: 'string', pattern: matcher.match.source }
}

export function operation(doc: RouteDoc, pattern: string, method: string, matchers: Matchers = {}) {
  const pathParameters = [...pattern.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: pathParameterSchema(matchers[name]),
  }))

  const responses: Record<string, unknown> = {}
  for (const [status, response] of Object.entries(doc.responses)) {
    const code = Number(status)
    responses[status] =
      code >= 400
        ? problemResponse(response.description)
        : {
            description: response.description,
            ...(response.schema
              ? {
                  content: Object.fromEntries(
                    [response.contentType ?? 'application/json'].flat().map((type) => [
                      type,
                      {
                        schema: response.schema,
                        ...(response.example === undefined ? {} : { example: response.example }),
                      },
                    ])
                  ),
                }
              : {}),
          }
  }
  if (doc.body || doc.query) responses['422'] ??= problemResponse('Validation failed; see errors[]')
  if (doc.security === 'bearer')
    responses['401'] ??= problemResponse('Missing, expired or revoked access token')
  if (pathParameters.length)
    responses['404'] ??= problemResponse('Not found, or not visible to the caller')
  // In a school, what a caller may do depends on their role (and a platform admin is no member).
  if (doc.security === 'bearer' && pattern.startsWith('/v1/schools/:schoolId'))
    responses['403'] ??= problemResponse('Not allowed for your role in this school')
  for (const [status, description] of Object.entries(STANDARD_ERRORS)) {
    responses[status] ??= problemResponse(description)
  }
  responses['503'] = {
    ...(responses['503'] as object),
    headers: { 'Retry-After': retryAfter('Seconds to wait before retrying') },
  }
  // Node's HTTP parser refuses an oversized request line or header block before the app runs.
  responses['431'] ??= {
    description: 'Request line or headers too large (answered before routing, without a body)',
  }
  responses['429'] = {
    ...(responses['429'] as object),
    headers: { 'Retry-After': retryAfter('Seconds until the limit resets'), ...RATE_LIMIT_HEADERS },
  }
  if (UNTHROTTLED_ROUTES.has(pattern)) delete responses['429']

  if (doc.deprecated) {
    for (const [status, response] of Object.entries(responses)) {
      responses[status] = {
        ...(response as object),
        headers: { ...(response as { headers?: object }).headers, ...DEPRECATION_HEADERS },
      }
    }
  }

  return {
    operationId: `${method.toLowerCase()}${toOpenApiPath(pattern)
      .split(/[/{}:-]+/)
      .filter(Boolean)
      .map((part) => part[0].toUpperCase() + part.slice(1))
      .join('')}`,
    summary: doc.summary,
    description: doc.description,
    tags: doc.tags,
    ...(doc.deprecated
      ? {
          'deprecated': true,
          'x-sunset': doc.deprecated.sunset,
          'description': [
            doc.description,
            `Deprecated since ${doc.deprecated.since}; stops working on ${doc.deprecated.sunset}.` +
              (doc.deprecated.link ? ` See ${doc.deprecated.link}.` : ''),
          ]
            .filter(Boolean)
            .join('\n\n'),
        }
      : {}),
    security:
      doc.security === 'bearer'
        ? [{ bearerAuth: [] }]
        : doc.security === 'client'
          ? [{ clientCredentials: [] }]
          : [],
    parameters: [...pathParameters, ...queryParameters(doc)],
    requestBody: doc.body ? requestBody(doc) : undefined,
    responses,
  }
}

/** Routes a spec file registers for itself (never loaded by the app) stay out of the document. */
export const TEST_ONLY_PREFIX = '/__test'
function isTestOnly(pattern: string) {
  return pattern.startsWith(TEST_ONLY_PREFIX)
}

/** Every registered route (HEAD aside), as `METHOD /path` keys. */
export function registeredOperations(router: Router) {
  const keys: string[] = []
  for (const routes of Object.values(router.toJSON())) {
    for (const route of routes) {
      for (const method of route.methods) {
        if (method !== 'HEAD' && !isTestOnly(route.pattern))
          keys.push(operationKey(method, route.pattern))
      }
    }
  }
  return keys
}

type OperationObject = {
  operationId: string
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }>; links?: object }>
}

/** Where a response carries the id of what it returns: `#/id`, `#/<one object>/id` or `#/data/0/id`. */
function idPointer(schema: JsonSchema | undefined, inList: boolean): string | undefined {
  const properties = schema?.properties as Record<string, JsonSchema> | undefined
  if (!properties) return inList ? undefined : '/id'
  const hasId = (object?: JsonSchema) =>
    Boolean((object?.properties as Record<string, JsonSchema> | undefined)?.id)
  if (inList) return hasId(properties.data?.items as JsonSchema) ? '/data/0/id' : undefined
  if (properties.id) return '/id'
  const nested = Object.entries(properties).find(([, value]) => hasId(value))
  return nested ? `/${nested[0]}/id` : undefined
}

/**
 * OpenAPI links, so a client (or a stateful tester) can follow what an operation returns: a
 * create (201) links to every operation on `<its path>/{param}...` with `param` = the new id, and
 * a list (200 `{ data: [...] }`) links to them with the first item's id. Other path parameters
 * are carried over from the request.
 */
function addLinks(paths: Record<string, Record<string, OperationObject>>) {
  for (const [path, operations] of Object.entries(paths)) {
    const sources: [OperationObject, string][] = []
    for (const status of ['201', '202']) {
      if (operations.post?.responses[status]) sources.push([operations.post, status])
    }
    if (operations.get?.responses['200']) sources.push([operations.get, '200'])
    for (const [source, status] of sources) {
      const response = source.responses[status]
      const pointer = idPointer(response.content?.['application/json']?.schema, status === '200')
      if (!pointer) continue
      const expression = `$response.body#${pointer}`
      const links: Record<string, unknown> = {}
      // A search (`/jobs/search`) lists what its parent path addresses (`/jobs/{id}`); members
      // are also addressed as learners.
      const bases = [path.endsWith('/search') ? path.slice(0, -'/search'.length) : path]
      if (path.endsWith('/members')) bases.push(path.replace(/\/members$/, '/learners'))
      for (const [targetPath, targetOperations] of Object.entries(paths)) {
        const base = bases.find((candidate) => targetPath.startsWith(`${candidate}/{`))
        const param = base ? /^\{([^}]+)\}/.exec(targetPath.slice(base.length + 1))?.[1] : undefined
        if (!param) continue
        const carried = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name)
        for (const target of Object.values(targetOperations)) {
          links[target.operationId] = {
            operationId: target.operationId,
            parameters: {
              ...Object.fromEntries(carried.map((name) => [name, `$request.path.${name}`])),
              [param]: expression,
            },
          }
        }
      }
      if (Object.keys(links).length) response.links = links
    }
  }
}

const SCHOOL = { schoolId: '$request.path.schoolId' }
const TOKEN_PAIR = { requestBody: { refreshToken: '$response.body#/refreshToken' } }
/** The caller's address, from `GET /v1/me`. */
const MY_EMAIL = { requestBody: { email: '$response.body#/email' } }
/** A path parameter that names the same thing as the request's. */
const samePath = (name: string) => ({ parameters: { [name]: `$request.path.${name}` } })
/** A path parameter that names what the response returns (`/id` by default). */
const returned = (name: string, pointer = '/id') => ({
  parameters: { [name]: `$response.body#${pointer}` },
})
/** In the same school, the first item a list returns. */
const firstOfList = (name: string, field = 'id') => ({
  parameters: { ...SCHOOL, [name]: `$response.body#/data/0/${field}` },
})

/**
 * Links the path rule above cannot see: a value one operation returns (or was sent) that
 * another takes in its body or under another path. `[source, status, target, link]`; a link
 * without values says "what comes next" (the value travels out of band, e.g. a mailed token).
 */
type FlowLink = [string, string, string, { parameters?: object; requestBody?: unknown }]
const FLOW_LINKS: FlowLink[] = [
  // Signing in: the token pair refreshes, a challenge is answered, an address is used.
  ['POST /v1/auth/login', '200', 'POST /v1/auth/refresh', TOKEN_PAIR],
  // The challenge token is only in the MFA answer (`mfaRequired`); a link expression must
  // resolve in every 200 answer, so this link names the next step and the app passes
  // `challengeToken` from the answer.
  ['POST /v1/auth/login', '200', 'POST /v1/auth/mfa/challenge', {}],
  ['POST /v1/auth/mfa/challenge', '200', 'POST /v1/auth/refresh', TOKEN_PAIR],
  ['POST /v1/auth/refresh', '200', 'POST /v1/auth/refresh', TOKEN_PAIR],
  // The browser flow: the provider sends the browser back to the callback (with `code` and
  // `state` of its own); the callback's one-time code is exchanged.
  [
    'GET /v1/auth/oauth/{provider}/redirect',
    '302',
    'GET /v1/auth/oauth/{provider}/callback',
    samePath('provider'),
  ],
  [
    'GET /v1/auth/oauth/{provider}/callback',
    '200',
    'POST /v1/auth/oauth/exchange',
    { requestBody: { code: '$response.body#/code' } },
  ],
  ['POST /v1/auth/oauth/exchange', '200', 'POST /v1/auth/refresh', TOKEN_PAIR],
  ['POST /v1/auth/refresh', '200', 'POST /v1/auth/logout', {}],
  ['GET /v1/me', '200', 'POST /v1/auth/login', MY_EMAIL],
  ['GET /v1/me', '200', 'POST /v1/auth/password/forgot', MY_EMAIL],
  ['GET /v1/me', '200', 'POST /v1/auth/mfa/recovery', MY_EMAIL],
  ['GET /v1/me', '200', 'POST /v1/me/reauthenticate', {}],
  ['GET /v1/me', '200', 'POST /v1/auth/logout-all', {}],
  // Mailed tokens: the next step after the mail.
  ['POST /v1/auth/register', '202', 'POST /v1/auth/verify-email', {}],
  [
    'POST /v1/auth/register',
    '202',
    'POST /v1/auth/login',
    { requestBody: { email: '$request.body#/email', password: '$request.body#/password' } },
  ],
  ['POST /v1/auth/password/forgot', '202', 'POST /v1/auth/password/reset', {}],
  ['POST /v1/auth/mfa/recovery', '202', 'POST /v1/auth/mfa/recovery/verify', {}],
  ['POST /v1/auth/mfa/recovery/verify', '200', 'POST /v1/auth/mfa/recovery/cancel', {}],
  ...['approve', 'deny'].map((decision): FlowLink => [
    'POST /v1/auth/mfa/recovery/verify',
    '200',
    `POST /v1/schools/{schoolId}/mfa-recoveries/{id}/${decision}`,
    returned('id'),
  ]),
  ['POST /v1/schools/{schoolId}/invitations', '201', 'GET /v1/invitations/{token}', {}],
  ['POST /v1/schools/{schoolId}/invitations', '201', 'POST /v1/invitations/{token}/accept', {}],
  ['GET /v1/invitations/{token}', '200', 'POST /v1/invitations/{token}/accept', samePath('token')],
  [
    'POST /v1/invitations/{token}/accept',
    '201',
    'POST /v1/platform/users/{id}/disable',
    returned('id', '/userId'),
  ],
  [
    'POST /v1/platform/users/{id}/disable',
    '200',
    'POST /v1/platform/users/{id}/enable',
    samePath('id'),
  ],
  // Second factor: enroll, confirm, then manage.
  ['POST /v1/me/reauthenticate', '200', 'POST /v1/me/mfa/totp', {}],
  ['POST /v1/me/mfa/totp', '200', 'POST /v1/me/mfa/totp/confirm', {}],
  ['POST /v1/me/mfa/totp/confirm', '200', 'POST /v1/me/mfa/recovery-codes', {}],
  ['POST /v1/me/mfa/totp/confirm', '200', 'DELETE /v1/me/mfa/totp', {}],
  ['POST /v1/me/reauthenticate', '200', 'POST /v1/me/password', {}],
  // Machine clients: a created client gets a token.
  [
    'POST /v1/schools/{schoolId}/oauth-clients',
    '201',
    'POST /v1/oauth/token',
    {
      requestBody: {
        grant_type: 'client_credentials',
        client_id: '$response.body#/client/clientId',
        client_secret: '$response.body#/clientSecret',
      },
    },
  ],
  ['POST /v1/oauth/token', '200', 'POST /v1/schools/{schoolId}/roster/sync', {}],
  // What a list names, used elsewhere.
  ...[
    'PATCH /v1/schools/{schoolId}/members/{membershipId}',
    'GET /v1/schools/{schoolId}/learners/{membershipId}/profile',
    'GET /v1/schools/{schoolId}/learners/{membershipId}/resumes',
  ].map((target): FlowLink => [
    'GET /v1/schools/{schoolId}/members',
    '200',
    target,
    firstOfList('membershipId'),
  ]),
  // Only a completed resume (its file uploaded) can be the default or be downloaded.
  ...[
    'POST /v1/schools/{schoolId}/me/resumes/{id}/default',
    'GET /v1/schools/{schoolId}/me/resumes/{id}/download',
  ].map((target): FlowLink => [
    'POST /v1/schools/{schoolId}/me/resumes/{id}/complete',
    '200',
    target,
    { parameters: { ...SCHOOL, id: '$request.path.id' } },
  ]),
  // A cohort member is addressed by the membership that was added.
  [
    'POST /v1/schools/{schoolId}/cohorts/{cohortId}/members',
    '201',
    'DELETE /v1/schools/{schoolId}/cohorts/{cohortId}/members/{membershipId}',
    {
      parameters: {
        ...SCHOOL,
        cohortId: '$request.path.cohortId',
        membershipId: '$request.body#/membershipId',
      },
    },
  ],
  // Entry points that take a value from a closed list (a provider, an asset name).
  ['GET /v1', '200', 'GET /v1/auth/oauth/{provider}/redirect', {}],
  ['GET /docs', '200', 'GET /docs/assets/{file}', {}],
  [
    'GET /v1/schools/{schoolId}/jobs/search',
    '200',
    'POST /v1/schools/{schoolId}/me/applications',
    { parameters: SCHOOL, requestBody: { jobId: '$response.body#/data/0/id' } },
  ],
  [
    'GET /v1/schools/{schoolId}/skills',
    '200',
    'POST /v1/schools/{schoolId}/me/profile/skills',
    { parameters: SCHOOL, requestBody: { skill: '$response.body#/data/0/slug' } },
  ],
  [
    'GET /v1/schools/{schoolId}/roles',
    '200',
    'PUT /v1/schools/{schoolId}/roles/{role}/permissions',
    {
      ...firstOfList('role', 'role'),
      requestBody: { permissions: '$response.body#/data/0/permissions' },
    },
  ],
  [
    'GET /v1/schools/{schoolId}/roles',
    '200',
    'DELETE /v1/schools/{schoolId}/roles/{role}/permissions',
    firstOfList('role', 'role'),
  ],
  [
    'POST /v1/schools/{schoolId}/cohorts',
    '201',
    'POST /v1/schools/{schoolId}/invitations',
    { parameters: SCHOOL, requestBody: { cohortIds: ['$response.body#/id'] } },
  ],
  [
    'GET /v1/schools/{schoolId}/me/profile',
    '200',
    'PATCH /v1/schools/{schoolId}/me/profile',
    { parameters: SCHOOL },
  ],
]

/**
 * The API index (`GET /v1`) links to every entry point: each operation that needs no identifier
 * but, at most, the school (which a client knows from `GET /v1/me`).
 */
function addIndexLinks(paths: Record<string, Record<string, OperationObject>>) {
  const index = paths['/v1']?.get?.responses['200']
  if (!index) return
  const links: Record<string, unknown> = { ...index.links }
  for (const [path, operations] of Object.entries(paths)) {
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name)
    if (params.some((name) => name !== 'schoolId') || path === '/v1') continue
    for (const target of Object.values(operations)) {
      links[target.operationId] = { operationId: target.operationId }
    }
  }
  index.links = links
}

function addFlowLinks(paths: Record<string, Record<string, OperationObject>>) {
  const find = (key: string) => {
    const [method, path] = key.split(' ')
    return paths[path]?.[method.toLowerCase()]
  }
  for (const [sourceKey, status, targetKey, link] of FLOW_LINKS) {
    const source = find(sourceKey)
    const target = find(targetKey)
    const response = source?.responses[status]
    // A route removed from the router takes its links with it.
    if (!response || !target) continue
    response.links = {
      ...response.links,
      [target.operationId]: { operationId: target.operationId, ...link },
    }
  }
}

/** Builds the OpenAPI 3.1 document from the router and each route's `.doc()`. */
export function buildOpenApiDocument(info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [route, doc] of routeDocs) {
    if (route.isDeleted()) continue
    const json = route.toJSON()
    if (isTestOnly(json.pattern)) continue
    for (const method of json.methods) {
      if (method === 'HEAD') continue
      const path = toOpenApiPath(json.pattern)
      paths[path] ??= {}
      paths[path][method.toLowerCase()] = operation(
        doc,
        json.pattern,
        method,
        (json as { matchers?: Matchers }).matchers
      )
    }
  }

  addLinks(paths as Record<string, Record<string, OperationObject>>)
  addFlowLinks(paths as Record<string, Record<string, OperationObject>>)
  addIndexLinks(paths as Record<string, Record<string, OperationObject>>)
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)))

  return {
    openapi: '3.1.0',
    info: {
      title: 'Pathways API',
      version: info.version,
      description:
        'Career platform for schools. Errors are RFC 9457 problem+json; lists use cursor pagination (`?cursor=&limit=` -> `{ data, nextCursor }`).',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
    // Tags of documented operations only (test-only routes may carry their own).
    tags: [
      ...new Set(
        Object.values(sorted).flatMap((operations) =>
          Object.values(operations).flatMap((op) => (op as { tags: string[] }).tags)
        )
      ),
    ]
      .sort()
      .map((name) => ({ name })),
    paths: sorted,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Opaque access token (15 minutes)',
        },
        clientCredentials: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: '/v1/oauth/token', scopes: {} } },
        },
      },
    },
  }
}
