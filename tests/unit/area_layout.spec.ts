import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readdir } from 'node:fs/promises'

/* Area folders are named the same in every layer: a file sits in the folder of its area. */
const AREAS = ['identity', 'tenancy', 'profiles', 'jobs', 'platform']
const LAYERS = [
  'app/services',
  'app/controllers',
  'app/validators',
  'app/models',
  'app/mails',
  'app/transformers',
  'start/routes',
]

test.group('Area folders', () => {
  test('every file of a layer sits in an area folder', async ({ assert }) => {
    const misplaced: string[] = []
    for (const layer of LAYERS) {
      const entries = await readdir(app.makePath(layer), { withFileTypes: true }).catch(() => [])
      for (const entry of entries) {
        if (!(entry.isDirectory() && AREAS.includes(entry.name)))
          misplaced.push(`${layer}/${entry.name}`)
      }
    }
    assert.deepEqual(misplaced, [], 'move these into identity, tenancy, profiles, jobs or platform')
  })
})
