import { ProfileEducationSchema } from '#database/schema'

/** An education entry of a profile. */
export default class ProfileEducation extends ProfileEducationSchema {
  static table = 'profile_education'
}
