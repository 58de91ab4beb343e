import {
  ScheduleNotFoundError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client'
import { TemporalFailure } from '@temporalio/common'
import { ProblemException } from '#exceptions/problem_exception'

/** Seconds a client waits before retrying a request that needed an unreachable Temporal. */
export const TEMPORAL_RETRY_AFTER_SECONDS = 5

/** The workflow behind the resource has ended or refused the change. */
export function isWorkflowGone(error: unknown) {
  return (
    error instanceof WorkflowNotFoundError ||
    error instanceof WorkflowUpdateFailedError ||
    error instanceof WorkflowFailedError ||
    error instanceof WorkflowExecutionAlreadyStartedError ||
    error instanceof ScheduleNotFoundError ||
    error instanceof TemporalFailure
  )
}

/**
 * A Temporal client error as a problem with a generic detail, or null for other errors.
 * Temporal's own text (workflow ids, termination reasons, addresses of the cluster) goes
 * to the log only: a finished workflow is a 409, an unreachable service a 503 + Retry-After.
 */
export function temporalProblem(error: unknown): ProblemException | null {
  if (isWorkflowGone(error)) {
    return ProblemException.conflict('This item can no longer be changed.')
  }
  if (
    error instanceof ServiceError ||
    error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    isGrpcServiceError(error)
  ) {
    const problem = new ProblemException(
      503,
      'service-unavailable',
      'Service Unavailable',
      'A background service is unavailable. Try again shortly.'
    )
    return Object.assign(problem, {
      headers: { 'Retry-After': String(TEMPORAL_RETRY_AFTER_SECONDS) },
    })
  }
  return null
}
