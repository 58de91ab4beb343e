import { SkillSchema } from '#database/schema'

/** The normalized skill list, with aliases. */
export default class Skill extends SkillSchema {
  static table = 'skills'
}
