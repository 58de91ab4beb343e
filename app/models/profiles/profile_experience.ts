import { ProfileExperienceSchema } from '#database/schema'

/** An experience entry of a profile. */
export default class ProfileExperience extends ProfileExperienceSchema {
  static table = 'profile_experience'
}
