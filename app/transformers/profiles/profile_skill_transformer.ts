import { ResourceTransformer } from '#transformers/jobs/resource_transformer'

/** A profile skill row joined with its skill (`slug`, `name`). */
export default class ProfileSkillTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return { id: row.id, skill: row.slug, name: row.name, level: row.level, position: row.position }
  }
}
