import { requiredEnv } from '#tests/helpers/services'

interface MailpitSummary {
  ID: string
  Subject: string
  Created: string
  To: { Address: string }[]
}

/** Reads mail the app really sent, from Mailpit's HTTP API. */
export async function messagesTo(address: string) {
  const url = new URL('/api/v1/search', requiredEnv('MAILPIT_URL'))
  url.searchParams.set('query', `to:"${address}"`)
  const response = await fetch(url)
  const body = (await response.json()) as { messages: MailpitSummary[] }
  return body.messages
}

export async function messageText(id: string) {
  const response = await fetch(new URL(`/api/v1/message/${id}`, requiredEnv('MAILPIT_URL')))
  const body = (await response.json()) as { Text: string; Subject: string }
  return body.Text
}

/** The single-use token printed in the newest mail to `address` with `subject`. */
export async function tokenFromMail(address: string, subjectPart: string) {
  const message = (await messagesTo(address)).find((m) => m.Subject.includes(subjectPart))
  if (!message) throw new Error(`no "${subjectPart}" mail to ${address}`)
  const text = await messageText(message.ID)
  const match = text.match(/token: (\S+)/)
  if (!match) throw new Error('no token in the mail')
  return match[1]
}
