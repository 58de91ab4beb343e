import { ProfileSkillSchema } from '#database/schema'

/** A skill on a profile, with its level. */
export default class ProfileSkill extends ProfileSkillSchema {
  static table = 'profile_skills'
}
