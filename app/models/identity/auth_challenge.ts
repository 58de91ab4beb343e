import { AuthChallengeSchema } from '#database/schema'

/** One step of a multi-step sign-in (MFA challenge or enrollment), hashed. */
export default class AuthChallenge extends AuthChallengeSchema {
  static table = 'auth_challenges'
}
