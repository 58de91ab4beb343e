import { DeviceSchema } from '#database/schema'

/** A device a user signs in from; refresh families are bound to one. */
export default class Device extends DeviceSchema {
  static table = 'devices'
}
