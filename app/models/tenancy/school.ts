import { SchoolSchema } from '#database/schema'

/** The tenant. Global table: every tenant row points at one of these. */
export default class School extends SchoolSchema {
  static table = 'schools'

  declare slug: string
  declare status: 'active' | 'suspended'
  declare allowedEmailDomains: string[]
  declare ssoGoogleHostedDomains: string[]
  declare ssoMicrosoftTenantIds: string[]
}
