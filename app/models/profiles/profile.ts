import { ProfileSchema } from '#database/schema'

/** A learner profile, one per membership. */
export default class Profile extends ProfileSchema {
  static table = 'profiles'
}
