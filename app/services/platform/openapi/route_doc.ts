import { Route } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'
import { deprecationHeaders, type Deprecation } from '#middleware/deprecation_headers'

export type JsonSchema = Record<string, unknown>
type AnyValidator = VineValidator<any, any>

export interface ResponseDoc {
  description: string
  schema?: JsonSchema
  /** One media type, or several sharing the schema (e.g. CSS and JavaScript assets). */
  contentType?: string | string[]
  /** An example body, shown in the docs. */
  example?: unknown
}

/**
 * What a route tells the OpenAPI document about itself. Request schemas come
 * from the same VineJS validators the controller uses, so they cannot drift.
 */
export interface RouteDoc {
  summary: string
  description?: string
  tags: string[]
  /** `bearer` routes need an access token; `none` are public. */
  security?: 'bearer' | 'client' | 'none'
  body?: AnyValidator
  /** Schemas for body fields VineJS cannot describe (e.g. `vine.date()`), merged over its own. */
  bodyProperties?: Record<string, JsonSchema>
  /** Body fields of which at least one is required (VineJS `requiredIfMissing`). */
  bodyRequiresOneOf?: string[]
  query?: AnyValidator
  responses: Record<number, ResponseDoc>
  /** Marks the operation deprecated in the document and announces it in response headers. */
  deprecated?: Deprecation
}

/** A response in short: its description alone, `[description, schema]`, or in full. */
export type ResponseShort =
  string | readonly [description: string, schema: JsonSchema] | ResponseDoc
/** Responses in short, under their status codes. */
export type Replies = { [status: number]: ResponseShort }
/** A route's doc without its summary, its responses in short beside the other fields. */
export type RouteDocShort = Partial<Omit<RouteDoc, 'summary' | 'responses'>> & Replies

function expandResponse(response: ResponseShort): ResponseDoc {
  if (typeof response === 'string') return { description: response }
  if (Array.isArray(response)) return { description: response[0], schema: response[1] }
  return response as ResponseDoc
}

/**
 * The docs of one area's routes: the area's tags, security and common responses apply to each
 * route unless the route says otherwise, so a route names only what is its own:
 * `admin('List cohorts', { query: listQueryValidator, 200: ['A page of cohorts', list] })`.
 */
export function docArea(area: Pick<RouteDoc, 'tags' | 'security'> & Replies) {
  return (summary: string, doc: RouteDocShort = {}): RouteDoc => {
    const fields: Record<string, unknown> = {}
    const responses: Record<number, ResponseDoc> = {}
    for (const [key, value] of Object.entries({ ...area, ...doc })) {
      if (/^\d+$/.test(key)) responses[Number(key)] = expandResponse(value as ResponseShort)
      else fields[key] = value
    }
    return { ...(fields as Omit<RouteDoc, 'summary' | 'responses'>), summary, responses }
  }
}

/** A strict UUID route matcher (the router's own accepts g-z), documented as `format: uuid`. */
export const UUID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
export const uuidMatcher = () => ({ match: UUID_PATTERN })

/** Documented routes, keyed by the Route object (its final pattern is known only after grouping). */
export const routeDocs = new Map<Route, RouteDoc>()

declare module '@adonisjs/core/http' {
  interface Route {
    doc(doc: RouteDoc): this
  }
}

export function registerRouteDocMacro() {
  Route.macro('doc', function (this: Route, doc: RouteDoc) {
    routeDocs.set(this, doc)
    if (doc.deprecated) this.use(deprecationHeaders(doc.deprecated))
    return this
  })
}
