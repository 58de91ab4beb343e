import { ResourceTransformer, iso } from '#transformers/jobs/resource_transformer'

/** One live session (a refresh-token family joined with its device); `current` is the caller's. */
export default class SessionTransformer extends ResourceTransformer<any> {
  constructor(
    resource: any,
    protected currentFamilyId?: string
  ) {
    super(resource)
  }

  toObject() {
    const row = this.resource
    return {
      id: row.id as string,
      deviceId: row.device_id as string,
      deviceName: row.name as string,
      lastIp: (row.last_ip as string | null) ?? null,
      createdAt: iso(row.created_at),
      lastUsedAt: iso(row.last_used_at),
      current: row.id === this.currentFamilyId,
    }
  }
}
