import { ResourceTransformer, iso } from '#transformers/jobs/resource_transformer'

/** One of the caller's devices, with its live session count; trust shown only while it lasts. */
export default class DeviceTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id as string,
      name: row.name as string,
      lastIp: (row.last_ip as string | null) ?? null,
      firstSeenAt: iso(row.first_seen_at),
      lastSeenAt: iso(row.last_seen_at),
      trustedUntil:
        row.trusted_until && new Date(row.trusted_until) > new Date()
          ? iso(row.trusted_until)
          : null,
      activeSessions: Number(row.active_sessions),
      current: Boolean(row.current),
    }
  }
}
