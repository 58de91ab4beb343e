import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import ace from '@adonisjs/core/services/ace'
import { resetState } from '#tests/helpers/database'
import { addMember, createCohort, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { addToCohort, seedSkills } from '#tests/helpers/profiles_helpers'
import { deadRedis } from '#tests/helpers/cache_helpers'
import { useCacheRedis } from '#services/platform/cache_store'
import {
  recordApplicationStatusChange,
  recordJobSearch,
} from '#services/profiles/analytics_service'
import AnalyticsRebuild from '../../commands/analytics_rebuild.js'

async function setup() {
  const school = await createSchool('stats')
  const staff = await createUser('staff@stats.test')
  await addMember(school.id, staff.id, 'staff')
  const learners = []
  for (const name of ['ann', 'bob', 'cid']) {
    const user = await createUser(`${name}@stats.test`)
    const membershipId = await addMember(school.id, user.id, 'learner')
    learners.push({ user, membershipId, token: (await login(user.email)).accessToken })
  }
  return {
    school,
    base: `/v1/schools/${school.id}`,
    staffToken: (await login(staff.email)).accessToken,
    learners,
  }
}

test.group('Analytics', (group) => {
  group.each.setup(async () => {
    await resetState()
    await seedSkills()
    return () => useCacheRedis(null)
  })

  test('aggregates follow events: completion, DAU/MAU, searches, applications', async ({
    client,
    assert,
  }) => {
    const { school, base, staffToken, learners } = await setup()
    const [ann, bob] = learners
    await client
      .post(`${base}/me/profile/education`)
      .bearerToken(ann.token)
      .json({ institution: 'U' })
    await client.post(`${base}/me/profile/skills`).bearerToken(ann.token).json({ skill: 'python' })
    await client.post(`${base}/me/profile/skills`).bearerToken(bob.token).json({ skill: 'sql' })
    await recordJobSearch(school.id)
    await recordJobSearch(school.id)
    await recordApplicationStatusChange(school.id, null, 'saved')
    await recordApplicationStatusChange(school.id, null, 'saved')
    await recordApplicationStatusChange(school.id, 'saved', 'applied')

    const response = await client.get(`${base}/analytics/overview`).bearerToken(staffToken)
    response.assertStatus(200)
    const body = response.body()
    assert.deepEqual(body.profileCompletion, {
      members: 2,
      average: 38,
      distribution: { '0': 0, '25': 1, '50': 1, '75': 0, '100': 0 },
    })
    // ann, bob and the staff member made authenticated school requests today
    assert.equal(body.activeUsers.daily, 3)
    assert.equal(body.activeUsers.monthly, 3)
    assert.deepEqual(body.jobSearches, { today: 2, last30Days: 2, total: 2 })
    assert.deepEqual(body.applicationsByStatus, { saved: 1, applied: 1 })

    // learners lack analytics.read
    ;(await client.get(`${base}/analytics/overview`).bearerToken(ann.token)).assertStatus(403)
  })

  test('cohort filter and rebuild from PostgreSQL', async ({ client, assert }) => {
    const { school, base, staffToken, learners } = await setup()
    const [ann, bob, cid] = learners
    await client
      .post(`${base}/me/profile/education`)
      .bearerToken(ann.token)
      .json({ institution: 'U' })
    await client
      .post(`${base}/me/profile/experience`)
      .bearerToken(ann.token)
      .json({ organization: 'A', title: 'T' })
    await client.post(`${base}/me/profile/skills`).bearerToken(bob.token).json({ skill: 'sql' })
    const cohort = await createCohort(school.id)
    await addToCohort(school.id, cohort, ann.membershipId, 'learner')
    await addToCohort(school.id, cohort, cid.membershipId, 'learner')

    const inCohort = await client
      .get(`${base}/analytics/overview?cohortId=${cohort}`)
      .bearerToken(staffToken)
    inCohort.assertStatus(200)
    assert.equal(inCohort.body().cohortId, cohort)
    assert.deepEqual(inCohort.body().profileCompletion, {
      members: 2,
      average: 25,
      distribution: { '0': 1, '25': 0, '50': 1, '75': 0, '100': 0 },
    })

    await redis.flushdb()
    const command = await ace.create(AnalyticsRebuild, [])
    await command.exec()
    command.assertSucceeded()
    const rebuilt = await client.get(`${base}/analytics/overview`).bearerToken(staffToken)
    assert.deepEqual(rebuilt.body().profileCompletion, {
      members: 3,
      average: 25,
      distribution: { '0': 1, '25': 1, '50': 1, '75': 0, '100': 0 },
    })
  })

  test('analytics answer 503 problem+json when Redis is down', async ({ client, assert }) => {
    const { base, staffToken, learners } = await setup()
    const dead = await deadRedis()
    useCacheRedis(dead)
    try {
      const response = await client.get(`${base}/analytics/overview`).bearerToken(staffToken)
      response.assertStatus(503)
      assert.include(response.header('content-type'), 'application/problem+json')
      // events during the outage do not fail the requests that cause them
      const write = await client
        .post(`${base}/me/profile/education`)
        .bearerToken(learners[0].token)
        .json({ institution: 'Still works' })
      write.assertStatus(201)
    } finally {
      useCacheRedis(null)
      dead.disconnect()
    }
  })
})
