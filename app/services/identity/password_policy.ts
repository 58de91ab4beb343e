import { createRequire } from 'node:module'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common'
import type * as ZxcvbnEn from '@zxcvbn-ts/language-en'
import { ProblemException } from '#exceptions/problem_exception'

const require = createRequire(import.meta.url)

/** Whitespace around a new password is refused, not trimmed: the account would get another password. */
export const PADDED_PASSWORD =
  'The password must not begin or end with a space or other whitespace.'

/*
| The one password policy (NIST SP 800-63B): a minimum length, no composition rules, and a
| strength estimate (zxcvbn-ts with its common-password, English word, name and Wikipedia
| dictionaries, keyboard patterns, l33t, dates and repeats) that knows the user's own e-mail
| address and name. Every place that sets a password calls it.
*/

export const MIN_PASSWORD_LENGTH = 12
/** zxcvbn score 4: at least 10^10 estimated guesses. */
export const MIN_PASSWORD_SCORE = 4
/* Characters past this are not estimated (they only add strength); bounds the CPU per check. */
const ESTIMATE_MAX_LENGTH = 128
/* Context-specific words (800-63B 5.1.1.2): the service's own name. */
const SERVICE_WORDS = ['pathways']

export interface PasswordContext {
  email?: string | null
  name?: string | null
}

let estimator: ZxcvbnFactory | undefined

/*
| Built on first use, dictionaries included (loaded synchronously then, so the policy stays a
| plain function): they are 12 MB of heap once imported (measured), and most processes never
| check a new password — signing in, every authenticated route, the workers.
*/
function zxcvbn() {
  if (!estimator) {
    const common: typeof ZxcvbnCommon = require('@zxcvbn-ts/language-common')
    const en: typeof ZxcvbnEn = require('@zxcvbn-ts/language-en')
    estimator = new ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
      maxLength: ESTIMATE_MAX_LENGTH,
    })
  }
  return estimator
}

const NOT_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu

/** The user's e-mail address, its local part and the words of their name, lower-cased. */
function personalWords(context: PasswordContext) {
  const email = context.email?.trim().toLowerCase() ?? ''
  const localPart = email.split('@')[0] ?? ''
  const name = context.name?.trim().toLowerCase() ?? ''
  const words = [...localPart.split(NOT_ALPHANUMERIC), ...name.split(NOT_ALPHANUMERIC)]
  return {
    localPart,
    inputs: [email, localPart, name, ...words].filter(Boolean),
    // Short words ("ada", "li") would refuse too much; longer ones are checked literally.
    literal: [localPart.replace(NOT_ALPHANUMERIC, ''), ...words].filter((word) => word.length >= 4),
  }
}

/** Why a password is refused, or null. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  if (password !== password.trim()) return PADDED_PASSWORD
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`
  }
  const personal = personalWords(context)
  const folded = password.toLowerCase()
  const alphanumeric = folded.replace(NOT_ALPHANUMERIC, '')
  if (
    (personal.localPart.length >= 3 && folded.includes(personal.localPart)) ||
    personal.literal.some((word) => alphanumeric.includes(word))
  ) {
    return 'The password must not contain your name or e-mail address.'
  }
  const result = zxcvbn().check(password, [...personal.inputs, ...SERVICE_WORDS])
  if (result.score < MIN_PASSWORD_SCORE) {
    const warning = result.feedback.warning ? ` ${result.feedback.warning}` : ''
    return `This password is too easy to guess.${warning} Use a longer passphrase of several unrelated words.`
  }
  return null
}

/** Throws a 422 problem with a field error on `field` when the policy refuses the password. */
export function assertAcceptablePassword(
  password: string,
  context: PasswordContext = {},
  field = 'password'
) {
  const problem = passwordProblem(password, context)
  if (problem) {
    throw new ProblemException(422, 'validation-error', 'Unprocessable Content', problem, [
      { field, message: problem, rule: 'password_policy' },
    ])
  }
}
