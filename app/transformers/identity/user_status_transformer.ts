import { ResourceTransformer } from '#transformers/jobs/resource_transformer'

/** An account's status after a platform admin changed it. */
export default class UserStatusTransformer extends ResourceTransformer<{
  id: string
  status: 'active' | 'disabled'
}> {
  toObject() {
    return { id: this.resource.id, status: this.resource.status }
  }
}
