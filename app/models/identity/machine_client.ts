import { MachineClientSchema } from '#database/schema'

/** A school's OAuth 2.0 client (client credentials), secret stored hashed. */
export default class MachineClient extends MachineClientSchema {
  static table = 'machine_clients'
}
