import { MachineAccessTokenSchema } from '#database/schema'

/** A hashed token issued to a machine client (client credentials). */
export default class MachineAccessToken extends MachineAccessTokenSchema {
  static table = 'machine_access_tokens'
}
