import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import { addMember, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { usePrivateStack, waitFor } from '#tests/helpers/faults'
import { spawnWorkerProcess } from '#tests/helpers/processes'
import { unique, withWorkflowConfig } from '#tests/helpers/workflows_helpers'
import { profileNudges } from '#workflows/profile_nudges'

test.group('faults: SMTP (Mailpit) down beyond the retry window', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('invitations end failed and can be re-sent, or complete when mail returns; nudges end', async ({
    client,
    assert,
    cleanup,
  }) => {
    // Expiry 20 s: the mail's retry window is the expiry, at least the workflow's 60 s floor.
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '20 seconds',
      })
    )
    const stack = await usePrivateStack(cleanup, { mail: true })
    const { config, client: privateClient } = stack
    const mailpit = stack.mailpit!
    const worker = spawnWorkerProcess(await stack.workerEnv())
    cleanup(() => worker.kill())

    const school = await createSchool('fault-smtp')
    const admin = await createUser(unique('admin-smtp'))
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken } = await login(admin.email)
    const learner = await createUser(unique('learner-smtp'))
    const membershipId = await addMember(school.id, learner.id, 'learner')
    const invite = async (email: string) => {
      const response = await client
        .post(`/v1/schools/${school.id}/invitations`)
        .bearerToken(accessToken)
        .json({ email, role: 'staff' })
      assert.oneOf(response.status(), [201, 202], response.text())
    }
    const statuses = async () => {
      const response = await client
        .get(`/v1/schools/${school.id}/invitations`)
        .qs({ limit: 100 })
        .bearerToken(accessToken)
      response.assertStatus(200)
      // Every status an address has (a re-invite adds a row beside the failed one).
      const seen = new Map<string, string[]>()
      for (const { email, status } of response.body().data as { email: string; status: string }[])
        seen.set(email, [...(seen.get(email) ?? []), status])
      return seen
    }

    await mailpit.stop()
    const outageAt = Date.now()
    // Nudges 1 s and 2 s after joining, mail down: each is skipped at its deadline.
    const nudges = await privateClient.workflow.start(profileNudges, {
      workflowId: `nudges:${school.id}:${learner.id}`,
      taskQueue: config.taskQueue,
      args: [{ schoolId: school.id, userId: learner.id, membershipId, offsets: ['1s', '2s'] }],
    })
    const lost = [unique('smtp-lost-0'), unique('smtp-lost-1'), unique('smtp-lost-2')]
    for (const email of lost) await invite(email)

    // Never stuck: past the retry window every invitation shows `failed`.
    await waitFor(
      async () => {
        const seen = await statuses()
        return lost.every((email) => seen.get(email)?.join() === 'failed')
      },
      150_000,
      'the invitations to end failed'
    ).catch((error) => {
      throw new Error(`${error.message}\n${worker.output()}`)
    })
    const failedAfterMs = Date.now() - outageAt
    await waitFor(
      async () => (await nudges.describe()).status.name !== 'RUNNING',
      30_000,
      'the nudges to end'
    )
    const nudgeOutcome = await nudges.result()
    const nudgesEndedAfterMs = Date.now() - outageAt
    assert.equal(nudgeOutcome, 'nudges-ended-some-skipped')

    // Mail down, then back within the window: these complete.
    const delayed = [unique('smtp-delayed-0'), unique('smtp-delayed-1')]
    for (const email of delayed) await invite(email)
    await waitFor(
      async () => {
        for (const email of delayed) {
          const handle = privateClient.workflow.getHandle(`invitation:${school.id}:${email}`)
          const { raw } = await handle.describe()
          if ((raw.pendingActivities?.[0]?.attempt ?? 0) < 2) return false
        }
        return true
      },
      60_000,
      'a failed mail attempt for each delayed invitation'
    )
    await mailpit.start()
    const backAt = Date.now()
    // Re-invite is possible after `failed`.
    for (const email of lost) await invite(email)

    const wanted = [...delayed, ...lost]
    await waitFor(
      async () => {
        const got = new Set(await mailpit.recipients())
        return wanted.every((email) => got.has(email))
      },
      60_000,
      'mail to every delayed and re-invited address'
    )
    const deliveredAfterMs = Date.now() - backAt
    const seen = await statuses()
    for (const email of delayed) assert.deepEqual(seen.get(email), ['pending'], email)
    for (const email of lost) assert.sameMembers(seen.get(email)!, ['failed', 'pending'], email)
    console.log(
      `[measure] SMTP down: invitations failed ${failedAfterMs} ms into the outage (expiry 20 s, retry window ` +
        `max(expiry, 60 s)), nudges ended ${nudgesEndedAfterMs} ms in (${nudgeOutcome}); after SMTP ` +
        `returned, delayed and re-invited mail delivered within ${deliveredAfterMs} ms`
    )
    worker.child.kill('SIGTERM')
    await worker.exit
  }).timeout(240_000)
})
