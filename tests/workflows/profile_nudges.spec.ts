import { test } from '@japa/runner'
import { profileChanged } from '#workflows/profile_nudges'
import app from '@adonisjs/core/services/app'
import type { WorkflowHandle } from '@temporalio/client'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser } from '#tests/helpers/fixtures'
import { messagesTo, messageText } from '#tests/helpers/mailpit'
import {
  mailsTo,
  recordHistory,
  startApiQueueWorker,
  unique,
} from '#tests/helpers/workflows_helpers'
import { startProfileNudges, cancelProfileNudges } from '#services/profiles/profile_nudges_service'
import { quietHoursRemaining } from '#services/profiles/profile_nudges_service'
import { DateTime } from 'luxon'

async function learner(slug: string, notificationPreferences?: object) {
  const school = await createSchool(slug)
  const user = await createUser(unique(slug))
  const membershipId = await addMember(school.id, user.id, 'learner')
  if (notificationPreferences) {
    await asOwner((trx) =>
      trx.table('profiles').insert({
        school_id: school.id,
        membership_id: membershipId,
        notification_preferences: JSON.stringify(notificationPreferences),
      })
    )
  }
  return { school, user, membershipId }
}

async function completeProfile(schoolId: string, membershipId: string) {
  await asOwner(async (trx) => {
    await trx
      .table('profile_education')
      .insert({ school_id: schoolId, membership_id: membershipId, institution: 'Uni' })
    await trx.table('profile_experience').insert({
      school_id: schoolId,
      membership_id: membershipId,
      organization: 'Acme',
      title: 'Intern',
    })
    await trx.rawQuery(
      `insert into skills (slug, name) values ('wf-test', 'WF test') on conflict (slug) do nothing`
    )
    const skill = await trx.from('skills').where('slug', 'wf-test').select('id').first()
    await trx
      .table('profile_skills')
      .insert({ school_id: schoolId, membership_id: membershipId, skill_id: skill.id })
    await trx.rawQuery(
      `insert into profiles (school_id, membership_id, preferences) values (?, ?, ?)
       on conflict (school_id, membership_id) do update set preferences = excluded.preferences`,
      [schoolId, membershipId, JSON.stringify({ jobTypes: ['internship'], remote: 'remote' })]
    )
  })
}

async function start(schoolId: string, userId: string, membershipId: string, offsets: string[]) {
  app.config.set('workflows.nudges.offsets', offsets)
  await startProfileNudges(schoolId, userId, membershipId)
  const client = await app.container.make('temporal.client')
  return client.workflow.getHandle(`nudges:${schoolId}:${userId}`) as WorkflowHandle
}

test.group('profileNudges workflow (real Temporal dev server)', (group) => {
  let offsets: string[]
  group.setup(() => {
    offsets = app.config.get('workflows.nudges.offsets')
    return () => app.config.set('workflows.nudges.offsets', offsets)
  })
  freshState(group)

  test('nudges at each offset naming what is missing, then finishes', async ({
    assert,
    cleanup,
  }) => {
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, user, membershipId } = await learner('nudge-all')
    const handle = await start(school.id, user.id, membershipId, ['1 second', '2 seconds'])
    assert.equal(await handle.result(), 'all-nudges-sent')
    const mails = await mailsTo(user.email, 'Complete your Pathways profile', 2)
    assert.lengthOf(mails, 2)
    const text = await messageText(mails[0].ID)
    assert.include(text, 'Missing sections: education, experience, skills, preferences')
    await recordHistory(handle, 'profile_nudges_all_sent')
  })

  test('profileChanged recomputes and completes when the profile is complete', async ({
    assert,
    cleanup,
  }) => {
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, user, membershipId } = await learner('nudge-done')
    const handle = await start(school.id, user.id, membershipId, ['1 hour'])
    await completeProfile(school.id, membershipId)
    await handle.signal(profileChanged)
    assert.equal(await handle.result(), 'complete')
    assert.lengthOf(await messagesTo(user.email), 0)
    await recordHistory(handle, 'profile_nudges_complete')
  })

  test('membership ends: cancellation completes it as membership-ended', async ({
    assert,
    cleanup,
  }) => {
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, user, membershipId } = await learner('nudge-ended')
    const handle = await start(school.id, user.id, membershipId, ['1 hour'])
    await asOwner((trx) =>
      trx.from('memberships').where('id', membershipId).update({ status: 'ended' })
    )
    await cancelProfileNudges(school.id, user.id)
    assert.equal(await handle.result(), 'membership-ended')
  })

  test('an e-mail opt-out sends nothing', async ({ assert, cleanup }) => {
    const worker = await startApiQueueWorker()
    cleanup(() => worker.stop())
    const { school, user, membershipId } = await learner('nudge-optout', {
      optOut: ['email'],
      quietHours: null,
    })
    const handle = await start(school.id, user.id, membershipId, ['1 second'])
    assert.equal(await handle.result(), 'all-nudges-sent')
    assert.lengthOf(await messagesTo(user.email), 0)
  })

  test('quiet hours: overnight windows in the member time zone', async ({ assert }) => {
    const quiet = { start: '22:00', end: '07:00', timezone: 'Europe/Paris' }
    const inside = DateTime.fromISO('2026-01-10T23:30:00', { zone: 'Europe/Paris' }).toUTC()
    const outside = DateTime.fromISO('2026-01-10T12:00:00', { zone: 'Europe/Paris' }).toUTC()
    assert.equal(quietHoursRemaining(quiet, inside), 7.5 * 3600_000)
    assert.equal(quietHoursRemaining(quiet, outside), 0)
    assert.equal(quietHoursRemaining(null, inside), 0)
  })
})
