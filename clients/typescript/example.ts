/*
| The README example, compiled by `npm run typecheck` so that it stays true to the client:
| an app signs in (answering the TOTP challenge when the account has a second factor) and edits
| the learner's profile in a school.
*/
import { createPathwaysClient } from './index.js'

export async function signInAndEditProfile(options: {
  baseUrl: string
  email: string
  password: string
  schoolId: string
  askForTotpCode: () => Promise<string>
}) {
  let accessToken: string | undefined
  const api = createPathwaysClient({ baseUrl: options.baseUrl, accessToken: () => accessToken })

  const signIn = await api.POST('/v1/auth/login', {
    body: { email: options.email, password: options.password },
  })
  const answer = signIn.data
  if (!answer) throw new Error(signIn.error?.detail ?? `sign-in answered ${signIn.response.status}`)
  if ('mfaRequired' in answer) {
    const challenge = await api.POST('/v1/auth/mfa/challenge', {
      body: { challengeToken: answer.challengeToken, code: await options.askForTotpCode() },
    })
    if (!challenge.data) throw new Error(challenge.error?.detail ?? 'wrong code')
    accessToken = challenge.data.accessToken
  } else if ('accessToken' in answer) {
    accessToken = answer.accessToken
  } else {
    throw new Error('This account must enroll a second factor first (POST /v1/me/mfa/totp).')
  }

  const updated = await api.PATCH('/v1/schools/{schoolId}/me/profile', {
    params: { path: { schoolId: options.schoolId } },
    body: { headline: 'Aspiring data engineer', preferences: { remote: 'hybrid' } },
  })
  if (!updated.data) throw new Error(updated.error?.detail ?? 'profile update refused')
  return updated.data
}
