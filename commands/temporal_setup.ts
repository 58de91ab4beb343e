import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { Connection, isGrpcServiceError } from '@temporalio/client'
import proto from '@temporalio/proto'
import type { TemporalConfig } from '#config/temporal'
import { temporalTls } from '#providers/temporal_provider'
import {
  InviteEmailKey,
  InviteStatusKey,
  SchoolIdKey,
  WorkflowKindKey,
} from '#workflows/search_attributes'

const { IndexedValueType } = proto.temporal.api.enums.v1

/** Search attributes the workflows set, named once in workflows/search_attributes.ts. */
export const SEARCH_ATTRIBUTES = [
  SchoolIdKey,
  WorkflowKindKey,
  InviteEmailKey,
  InviteStatusKey,
].map((key) => key.name)

const NOT_FOUND = 5
const ALREADY_EXISTS = 6

/**
 * Idempotent: creates TEMPORAL_NAMESPACE when missing (retention
 * TEMPORAL_NAMESPACE_RETENTION_DAYS) and registers the Keyword search attributes
 * SchoolId, WorkflowKind, InviteEmail, InviteStatus on it. Exits 0 when all is in place.
 */
export default class TemporalSetup extends BaseCommand {
  static commandName = 'temporal:setup'
  static description = 'Create the Temporal namespace and register the search attributes'
  static options: CommandOptions = { startApp: true }

  async run() {
    const config = this.app.config.get<TemporalConfig>('temporal')
    const connection = await Connection.connect({
      address: config.address,
      tls: await temporalTls(config),
      connectTimeout: '10s',
    })
    try {
      const created = await ensureNamespace(connection, config.namespace, config.retentionDays)
      this.logger.info(
        created
          ? `namespace "${config.namespace}" created (retention ${config.retentionDays} days)`
          : `namespace "${config.namespace}" exists`
      )
      const added = await ensureSearchAttributes(connection, config.namespace)
      this.logger.info(
        added.length
          ? `search attributes registered: ${added.join(', ')}`
          : 'search attributes already registered'
      )
    } catch (error) {
      this.logger.error(`temporal setup failed: ${(error as Error).message}`)
      this.exitCode = 1
    } finally {
      await connection.close()
    }
  }
}

export async function ensureNamespace(connection: Connection, namespace: string, days: number) {
  try {
    await connection.workflowService.describeNamespace({ namespace })
    return false
  } catch (error) {
    if (!isGrpcServiceError(error) || error.code !== NOT_FOUND) throw error
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      description: 'Pathways',
      // protobufjs takes a plain number for the int64 seconds
      workflowExecutionRetentionPeriod: { seconds: (days * 24 * 3600) as never },
    })
  } catch (error) {
    if (!isGrpcServiceError(error) || error.code !== ALREADY_EXISTS) throw error
    return false
  }
  return true
}

/** Registers the missing attributes; a namespace registered a moment ago may need a few seconds. */
export async function ensureSearchAttributes(connection: Connection, namespace: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const listed = await connection.operatorService.listSearchAttributes({ namespace })
      const existing = new Set(Object.keys(listed.customAttributes ?? {}))
      const missing = SEARCH_ATTRIBUTES.filter((name) => !existing.has(name))
      if (missing.length === 0) return []
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map((name) => [name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])
        ),
      })
      return missing
    } catch (error) {
      const retryable =
        isGrpcServiceError(error) &&
        [NOT_FOUND, 14, 9 /* FAILED_PRECONDITION */].includes(error.code)
      if (!retryable || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}
