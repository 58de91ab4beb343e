import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { ProblemException, type FieldError } from '#exceptions/problem_exception'
import { temporalProblem } from '#exceptions/temporal_problem'
import {
  DEPENDENCY_RETRY_AFTER_SECONDS,
  unavailableDependency,
} from '#exceptions/dependency_unavailable_error'
import { asMethodNotAllowed } from '#exceptions/method_not_allowed'

export const PROBLEM_TYPE_BASE = 'https://pathways.dev/problems/'

interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  requestId?: string
  errors?: FieldError[]
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
}

/** Framework error codes whose message is safe (and useful) to show to the caller. */
const SAFE_CODES: Record<string, string> = {
  E_ROUTE_NOT_FOUND: 'not-found',
  E_UNAUTHORIZED_ACCESS: 'unauthorized',
  E_AUTHORIZATION_FAILURE: 'forbidden',
  E_TOO_MANY_REQUESTS: 'rate-limited',
  E_REQUEST_ENTITY_TOO_LARGE: 'payload-too-large',
  E_ROW_NOT_FOUND: 'not-found',
}

const PG_CONSTRAINT_PROBLEMS: Record<
  string,
  { type: string; body: { title: string; status: number; detail: string } }
> = {
  '23503': {
    type: 'invalid-reference',
    body: {
      title: 'Unprocessable Content',
      status: 422,
      detail: 'A referenced record does not exist in this school.',
    },
  },
  '23505': {
    type: 'conflict',
    body: { title: 'Conflict', status: 409, detail: 'A record with these values already exists.' },
  },
  '23514': {
    type: 'validation-error',
    body: {
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The values break a rule of this resource.',
    },
  },
  // A NUL or a character the database cannot store.
  '22021': {
    type: 'validation-error',
    body: {
      title: 'Unprocessable Content',
      status: 422,
      detail: 'A value contains a character that cannot be stored.',
    },
  },
  '22P02': {
    type: 'validation-error',
    body: { title: 'Unprocessable Content', status: 422, detail: 'A value has the wrong format.' },
  },
}

function slug(status: number) {
  return (TITLES[status] ?? 'error').toLowerCase().replaceAll(' ', '-')
}

/**
 * Every error leaves as RFC 9457 application/problem+json. 4xx keep a safe
 * detail; anything else becomes a bare 500 (the stack trace goes to the log only).
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = false

  toProblem(error: any, ctx: HttpContext): Problem {
    const base = { instance: ctx.request.url(), requestId: ctx.request.id() }

    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const errors = (error.messages as any[]).map((message) => ({
        field: String(message.field),
        message: String(message.message),
        rule: message.rule ? String(message.rule) : undefined,
      }))
      return {
        type: `${PROBLEM_TYPE_BASE}validation-error`,
        title: 'Unprocessable Content',
        status: 422,
        detail: 'The request contains invalid fields.',
        errors,
        ...base,
      }
    }

    if (error instanceof ProblemException) {
      return {
        type: `${PROBLEM_TYPE_BASE}${error.problemType}`,
        title: error.title,
        status: error.status,
        detail: error.detail,
        errors: error.errors,
        ...base,
      }
    }

    // Constraint violations are bad input that reached the database: never a 500.
    const pgProblem = PG_CONSTRAINT_PROBLEMS[String(error?.code)]
    if (pgProblem && typeof error?.severity === 'string') {
      return { type: `${PROBLEM_TYPE_BASE}${pgProblem.type}`, ...pgProblem.body, ...base }
    }

    if (error?.code === 'E_INVALID_CREDENTIALS') {
      return {
        type: `${PROBLEM_TYPE_BASE}invalid-credentials`,
        title: 'Unauthorized',
        status: 401,
        detail: 'The e-mail address or password is incorrect.',
        ...base,
      }
    }

    const status = Number(error?.status)
    if (Number.isInteger(status) && status >= 400 && status < 500) {
      const code = typeof error.code === 'string' ? error.code : ''
      // Body-parser failures (malformed JSON, bad encoding) come through as plain 400s.
      const detail =
        code === 'E_ROUTE_NOT_FOUND'
          ? 'No route matches this method and path.'
          : status === 400
            ? 'The request body could not be parsed.'
            : SAFE_CODES[code]
              ? String(error.message)
              : undefined
      return {
        type: `${PROBLEM_TYPE_BASE}${SAFE_CODES[code] ?? slug(status)}`,
        title: TITLES[status] ?? 'Client Error',
        status,
        detail,
        ...base,
      }
    }

    // A failing dependency is temporary: 503 + Retry-After, so clients retry (never 500/401).
    if (unavailableDependency(error)) {
      return {
        type: `${PROBLEM_TYPE_BASE}dependency-unavailable`,
        title: 'Service Unavailable',
        status: 503,
        detail: 'A service this request needs is temporarily unavailable. Retry shortly.',
        ...base,
      }
    }

    return {
      type: `${PROBLEM_TYPE_BASE}internal-error`,
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side. Quote the request id when reporting it.',
      ...base,
    }
  }

  async handle(thrown: unknown, ctx: HttpContext) {
    // Temporal's error text never reaches a client (it is reported to the log as is)
    const error = asMethodNotAllowed(temporalProblem(thrown) ?? thrown, ctx)
    const problem = this.toProblem(error, ctx)
    const headers = (error as any)?.getDefaultHeaders?.() ?? (error as any)?.headers
    if (headers && typeof headers === 'object') {
      for (const [name, value] of Object.entries(headers)) ctx.response.header(name, String(value))
    }
    if (problem.status === 503 && !ctx.response.getHeader('retry-after')) {
      ctx.response.header('Retry-After', String(DEPENDENCY_RETRY_AFTER_SECONDS))
    }
    ctx.response
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify(problem))
  }

  async report(error: unknown, ctx: HttpContext) {
    const status = Number((error as any)?.status)
    if (Number.isInteger(status) && status < 500) return
    const dependency = unavailableDependency(error)
    if (dependency) {
      // Expected during an outage: one warning line, no stack trace per request.
      ctx.logger.warn(
        { dependency, err: (error as Error)?.message },
        'dependency unavailable (503)'
      )
      return
    }
    if (app.inTest && process.env.LOG_LEVEL === 'silent') return
    return super.report(error, ctx)
  }
}
