import { Exception } from '@adonisjs/core/exceptions'

export interface FieldError {
  field: string
  message: string
  rule?: string
}

/**
 * A domain error that renders as RFC 9457 problem+json. `type` is a stable slug
 * clients can switch on; `detail` is safe to show to the caller.
 */
export class ProblemException extends Exception {
  constructor(
    public status: number,
    public problemType: string,
    public title: string,
    public detail?: string,
    public errors?: FieldError[]
  ) {
    super(detail ?? title, { status, code: `E_${problemType.toUpperCase().replaceAll('-', '_')}` })
  }

  static notFound(detail = 'The resource does not exist or you have no access to it.') {
    return new ProblemException(404, 'not-found', 'Not Found', detail)
  }

  static forbidden(detail = 'You are not allowed to perform this action.') {
    return new ProblemException(403, 'forbidden', 'Forbidden', detail)
  }

  static conflict(detail: string) {
    return new ProblemException(409, 'conflict', 'Conflict', detail)
  }

  static gone(detail: string) {
    return new ProblemException(410, 'gone', 'Gone', detail)
  }

  static unauthorized(detail = 'Authentication is required.') {
    return new ProblemException(401, 'unauthorized', 'Unauthorized', detail)
  }

  static badRequest(detail: string) {
    return new ProblemException(400, 'bad-request', 'Bad Request', detail)
  }
}
