import { Route } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'

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
  /** Body fields of which at least one is required (VineJS `requiredIfMissing`). */
  bodyRequiresOneOf?: string[]
  query?: AnyValidator
  responses: Record<number, ResponseDoc>
}

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
    return this
  })
}
