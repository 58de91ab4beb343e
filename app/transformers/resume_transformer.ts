import { ResourceTransformer, iso } from '#transformers/resource_transformer'

/** A resume's metadata (never its object key: downloads go through short-lived presigned URLs). */
export default class ResumeTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id,
      membershipId: row.membership_id,
      filename: row.filename,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      status: row.status,
      isDefault: row.is_default,
      createdAt: iso(row.created_at),
    }
  }
}
