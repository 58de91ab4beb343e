import { WorkflowOutboxSchema } from '#database/schema'

/** A workflow start/signal/update intent written with the change it belongs to. */
export default class WorkflowOutbox extends WorkflowOutboxSchema {
  static table = 'workflow_outbox'
}
