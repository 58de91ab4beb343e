import { ResourceTransformer, iso } from '#transformers/jobs/resource_transformer'

/** One entry of an application's timeline: a status change or a note. */
export default class ApplicationEventTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: Number(row.id),
      fromStatus: (row.from_status ?? null) as string | null,
      toStatus: (row.to_status ?? null) as string | null,
      note: (row.note ?? null) as string | null,
      actorUserId: (row.actor_user_id ?? null) as string | null,
      createdAt: iso(row.created_at),
    }
  }
}
