import { JobIngestionRunSchema } from '#database/schema'

/** Statistics of one ingestion run of a job source. */
export default class JobIngestionRun extends JobIngestionRunSchema {
  static table = 'job_ingestion_runs'
}
