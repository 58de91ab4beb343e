import { ReportSchema } from '#database/schema'

/** A generated report (CSV in the reports bucket). */
export default class Report extends ReportSchema {
  static table = 'reports'
}
