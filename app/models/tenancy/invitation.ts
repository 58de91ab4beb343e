import { InvitationSchema } from '#database/schema'

/** A staff invitation; the staffInvitation workflow drives its status. */
export default class Invitation extends InvitationSchema {
  static table = 'invitations'
}
