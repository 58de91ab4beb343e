import { ResourceTransformer, iso } from '#transformers/jobs/resource_transformer'

/** A machine client (never its secret hash). With a fresh secret, the one-time issue shape. */
export default class MachineClientTransformer extends ResourceTransformer<Record<string, any>> {
  toObject() {
    const row = this.resource
    return {
      id: row.id as string,
      name: row.name as string,
      clientId: row.client_id as string,
      scopes: row.scopes as string[],
      createdAt: iso(row.created_at),
      revoked: Boolean(row.revoked_at),
    }
  }

  /** The response to create and rotate: the client and its secret, shown this once. */
  static issued(issue: { row: Record<string, any>; clientSecret: string }) {
    return { client: MachineClientTransformer.item(issue.row), clientSecret: issue.clientSecret }
  }
}
