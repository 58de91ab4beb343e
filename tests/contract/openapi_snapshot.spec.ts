import { test } from '@japa/runner'
import {
  SNAPSHOT_PATH,
  lineDiff,
  publishedDocument,
  readSnapshot,
  serialize,
} from '#services/platform/openapi/snapshot'

/*
| Breaking-change guard: the generated document must equal the committed snapshot.
| After reviewing an intended API change: `node ace openapi:generate --update-snapshot`.
*/
test.group('OpenAPI contract snapshot', () => {
  test('the generated document equals the reviewed snapshot', async ({ assert }) => {
    const snapshot = await readSnapshot()
    assert.isNotNull(
      snapshot,
      `${SNAPSHOT_PATH} is missing: run node ace openapi:generate --update-snapshot`
    )
    const current = serialize(await publishedDocument())
    if (current !== snapshot) {
      assert.fail(
        `The OpenAPI document differs from ${SNAPSHOT_PATH} (unreviewed contract change).\n` +
          `Review the diff, then run: node ace openapi:generate --update-snapshot\n\n` +
          lineDiff(snapshot!, current)
      )
    }
  })

  test('the diff shows removed and added lines', ({ assert }) => {
    const diff = lineDiff('a\nb\nc\n', 'a\nB\nc\n')
    assert.include(diff, '- b')
    assert.include(diff, '+ B')
    assert.include(diff, '  a')
  })
})
