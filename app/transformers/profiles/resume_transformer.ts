import { ResourceTransformer, columns, iso } from '#transformers/jobs/resource_transformer'

/** A resume's metadata (never its object key: downloads go through short-lived presigned URLs). */
export default class ResumeTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      ...columns(
        row,
        'id',
        'membership_id',
        'filename',
        'content_type',
        'size_bytes',
        'status',
        'is_default'
      ),
      createdAt: iso(row.created_at),
    }
  }
}
