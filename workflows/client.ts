/*
| Typed Temporal calls for the API and the outbox relay. Every start, signal, update and
| query names a workflow function or a definition imported from the workflow files,
| never a string, so a renamed workflow or signal is a compile error, not a stuck row.
| (Imported outside the workflow sandbox: only definitions are used here.)
*/
import type { Client } from '@temporalio/client'
import type {
  SearchAttributePair,
  SearchAttributeType,
  SignalDefinition,
  UpdateDefinition,
  Workflow,
} from '@temporalio/common'
import { defineSearchAttributeKey } from '@temporalio/common'
import { cohortReport } from './cohort_report.js'
import { jobIngestion } from './job_ingestion.js'
import {
  mfaRecovery,
  recoveryApproved,
  recoveryCancelled,
  recoveryDenied,
  recoveryVerified,
} from './mfa_recovery.js'
import { noop, noopDone } from './noop.js'
import { ping } from './ping.js'
import { profileChanged, profileNudges } from './profile_nudges.js'
import { invitationAccepted, revokeInvitation, staffInvitation } from './staff_invitation.js'

/** Every workflow the API may start, by its registered type name (the function name). */
export const workflowTypes = {
  staffInvitation,
  profileNudges,
  mfaRecovery,
  cohortReport,
  jobIngestion,
  ping,
  noop,
} as const satisfies Record<string, Workflow>

/** Every signal the API may send, by its registered name. */
const signalList = [
  revokeInvitation,
  invitationAccepted,
  recoveryVerified,
  recoveryCancelled,
  recoveryApproved,
  recoveryDenied,
  profileChanged,
  noopDone,
] as SignalDefinition<any[]>[]
export const signalDefinitions = new Map(
  signalList.map((definition) => [definition.name, definition])
)

export type WorkflowName = keyof typeof workflowTypes

/* ---- intents (what the outbox stores) ---- */

export interface StoredSearchAttribute {
  name: string
  type: SearchAttributeType
  value: unknown
}

export type WorkflowIntent =
  | {
      kind: 'start'
      workflowType: WorkflowName
      workflowId: string
      taskQueue?: string
      args: unknown[]
      searchAttributes: StoredSearchAttribute[]
    }
  | { kind: 'signal'; workflowId: string; signalName: string; args: unknown[] }
  | { kind: 'cancel'; workflowId: string }

function nameOf<W extends Workflow>(workflow: W): WorkflowName {
  const name = workflow.name as WorkflowName
  if (workflowTypes[name] !== workflow) throw new Error(`${name} is not a registered workflow`)
  return name
}

/** "Start this workflow" (typed args); the relay starts it with this id, exactly once. */
export function startIntent<W extends Workflow>(
  workflow: W,
  options: {
    workflowId: string
    args: Parameters<W>
    taskQueue?: string
    searchAttributes?: SearchAttributePair[]
  }
): WorkflowIntent {
  return {
    kind: 'start',
    workflowType: nameOf(workflow),
    workflowId: options.workflowId,
    taskQueue: options.taskQueue,
    args: options.args,
    searchAttributes: (options.searchAttributes ?? []).map((pair) => ({
      name: pair.key.name,
      type: pair.key.type,
      value: pair.value,
    })),
  }
}

/** "Send this signal" (typed args) to the workflow with this id. */
export function signalIntent<Args extends any[]>(
  workflowId: string,
  definition: SignalDefinition<Args>,
  ...args: Args
): WorkflowIntent {
  if (signalDefinitions.get(definition.name) !== definition) {
    throw new Error(`${definition.name} is not a registered signal`)
  }
  return { kind: 'signal', workflowId, signalName: definition.name, args }
}

/** "Cancel the workflow with this id" (a finished or unknown workflow is fine). */
export function cancelIntent(workflowId: string): WorkflowIntent {
  return { kind: 'cancel', workflowId }
}

export function searchAttributePairs(stored: StoredSearchAttribute[]): SearchAttributePair[] {
  return stored.map(
    (attribute) =>
      ({
        key: defineSearchAttributeKey(attribute.name, attribute.type),
        value: attribute.value,
      }) as SearchAttributePair
  )
}

/* ---- direct typed calls ---- */

/**
 * Runs a typed update with a deadline: an update waits for a worker to accept it, so
 * without a deadline a request hangs for as long as no worker runs. Temporal's errors
 * pass through as they are (WorkflowUpdateFailedError: refused or ended;
 * WorkflowUpdateRPCTimeoutOrCancelledError: no answer in time): the exception
 * handler's temporalProblem maps them.
 */
export async function updateWorkflow<Ret, Args extends any[]>(
  client: Client,
  workflowId: string,
  definition: UpdateDefinition<Ret, Args>,
  options: { args: Args; deadlineMs: number }
): Promise<Ret> {
  const handle = client.workflow.getHandle(workflowId)
  return client.connection.withDeadline(Date.now() + options.deadlineMs, () =>
    // the SDK's overloads split empty and non-empty argument lists
    handle.executeUpdate(definition as unknown as UpdateDefinition<Ret, [any]>, {
      args: options.args as unknown as [any],
    })
  )
}
