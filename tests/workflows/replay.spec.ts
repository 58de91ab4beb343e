import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readdir, readFile } from 'node:fs/promises'
import { Worker } from '@temporalio/worker'
import { workflowsEntry } from '#workflows/entry'
import { historyFromStoredJSON } from '#tests/helpers/workflows_helpers'

/*
| Histories recorded from real runs with handle.fetchHistory() (RECORD_WORKFLOW_HISTORIES=1
| bin/test workflows) and
| committed under tests/workflows/histories/. Replaying them against today's workflow code
| fails on any non-deterministic change (a new/removed/reordered command without patched()).
*/
test.group('workflow replay (recorded histories)', () => {
  test('every committed history replays without non-determinism', async ({ assert }) => {
    const dir = app.makePath('tests/workflows/histories')
    const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort()
    const kinds = new Set(files.map((file) => file.split('_').slice(0, 2).join('_')))
    assert.includeMembers([...kinds], ['staff_invitation', 'profile_nudges', 'mfa_recovery'])

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
