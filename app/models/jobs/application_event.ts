import { ApplicationEventSchema } from '#database/schema'

/** A status change or note on an application (its timeline). */
export default class ApplicationEvent extends ApplicationEventSchema {
  static table = 'application_events'
}
