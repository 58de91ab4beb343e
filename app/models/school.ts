import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** The tenant. Global table: every tenant row points at one of these. */
export default class School extends BaseModel {
  @column({ isPrimary: true })
  declare id: string

  @column()
  declare slug: string

  @column()
  declare name: string

  @column()
  declare status: 'active' | 'suspended'

  @column()
  declare allowedEmailDomains: string[]

  @column()
  declare ssoGoogleHostedDomains: string[]

  @column()
  declare ssoMicrosoftTenantIds: string[]

  @column()
  declare mfaRequiredForAdmins: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
