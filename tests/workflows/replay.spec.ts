import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readdir, readFile } from 'node:fs/promises'
import { Worker } from '@temporalio/worker'
import { workflowsEntry } from '#workflows/entry'
import { historyFromStoredJSON } from '#tests/helpers/workflows_helpers'

/*
| Histories recorded from real runs on the test server with handle.fetchHistory() and
| committed under tests/workflows/histories/. Replaying them against today's workflow code
| fails on any non-deterministic change (a new/removed/reordered command without patched()).
| Re-record (after an intended change, guarded by patched() for runs in flight):
|   RECORD_WORKFLOW_HISTORIES=1 bin/test workflows --files=<spec>   (recordHistory in the spec)
|   RECORD_WORKFLOW_HISTORIES=1 bin/test faults --files=tests/faults/opensearch_ingestion.spec.ts
| Most paths live in tests/workflows/recorded_histories.spec.ts; the others in the workflow's
| own spec (invitations, mfa_recovery, profile_nudges) and the OpenSearch fault test (the
| ingestion index catch-up). Keep old files: they stand for runs still in flight.
*/

/** Paths whose history must be present: a lost file would silently drop its coverage. */
const REQUIRED = [
  'job_ingestion_succeeded',
  'job_ingestion_index_catch_up',
  'cohort_report_ready',
  'staff_invitation_resent_expired',
  'profile_nudges_continued_as_new',
  'mfa_recovery_expired',
]
test.group('workflow replay (recorded histories)', () => {
  test('every committed history replays without non-determinism', async ({ assert }) => {
    const dir = app.makePath('tests/workflows/histories')
    const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort()
    const kinds = new Set(files.map((file) => file.split('_').slice(0, 2).join('_')))
    assert.includeMembers(
      [...kinds],
      ['staff_invitation', 'profile_nudges', 'mfa_recovery', 'job_ingestion', 'cohort_report']
    )
    assert.includeMembers(
      files.map((file) => file.replace(/\.json$/, '')),
      REQUIRED
    )

    async function* histories() {
      for (const file of files) {
        const history = historyFromStoredJSON(JSON.parse(await readFile(`${dir}/${file}`, 'utf8')))
        yield { workflowId: file, history }
      }
    }
    const failures: string[] = []
    let replayed = 0
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: workflowsEntry(app) },
      histories()
    )) {
      replayed++
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`)
    }
    assert.equal(replayed, files.length)
    assert.deepEqual(failures, [])
  })
})
