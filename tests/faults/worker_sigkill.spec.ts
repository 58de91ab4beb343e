import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { usePrivateStack, waitFor } from '#tests/helpers/faults'
import { spawnWorkerProcess } from '#tests/helpers/processes'
import { eventually, unique } from '#tests/helpers/workflows_helpers'

const INVITATIONS = 200
const CONCURRENCY = 10

test.group('faults: worker SIGKILLed with invitations in flight', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('a new worker completes every invitation: none lost, duplicates <= 1%', async ({
    client,
    assert,
    cleanup,
  }) => {
    // Private Temporal and Mailpit: the shared servers never see the kill or the mail flood.
    const stack = await usePrivateStack(cleanup, { mail: true })
    const mailpit = stack.mailpit!
    const workerEnv = () =>
      stack.workerEnv({ INVITATION_REMINDER_AFTER: '1 hour', INVITATION_EXPIRES_AFTER: '2 hours' })

    const school = await createSchool('fault-sigkill')
    const admin = await createUser(unique('admin-sigkill'))
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken } = await login(admin.email)

    // Created through the API before any worker runs: every workflow is in flight.
    const emails = Array.from({ length: INVITATIONS }, (_, i) => unique(`sigkill-${i}`))
    for (let i = 0; i < emails.length; i += CONCURRENCY) {
      await Promise.all(
        emails.slice(i, i + CONCURRENCY).map(async (email) => {
          const response = await client
            .post(`/v1/schools/${school.id}/invitations`)
            .bearerToken(accessToken)
            .json({ email, role: 'staff' })
          assert.oneOf(response.status(), [201, 202])
        })
      )
    }

    const first = spawnWorkerProcess(await workerEnv())
    cleanup(() => first.kill())
    const sentBeforeKill = await waitFor(
      async () => {
        const sent = (await mailpit.recipients()).length
        return sent >= INVITATIONS / 5 ? sent : null
      },
      90_000,
      'the first worker to send a fifth of the mails'
    ).catch((error) => {
      throw new Error(`${error.message}\n${first.output()}`)
    })
    first.child.kill('SIGKILL')
    await first.exit
    const killedAt = Date.now()
    const sentAtKill = (await mailpit.recipients()).length
    assert.isBelow(sentAtKill, INVITATIONS, 'the kill must land with invitations in flight')

    const second = spawnWorkerProcess(await workerEnv())
    cleanup(() => second.kill())
    const wanted = new Set(emails)
    await waitFor(
      async () => {
        const got = new Set((await mailpit.recipients()).filter((to) => wanted.has(to)))
        return got.size === INVITATIONS
      },
      150_000,
      'every invitee to get their mail'
    ).catch(async (error) => {
      const got = new Set(await mailpit.recipients())
      throw new Error(`${error.message}: ${got.size}/${INVITATIONS}\n${second.output()}`)
    })
    const recoveredInMs = Date.now() - killedAt

    // What the admin sees: every invitation pending with its mail recorded as sent, none failed.
    const rows = await asOwner((trx) =>
      trx.from('invitations').where('school_id', school.id).select('email', 'status')
    )
    assert.lengthOf(rows, INVITATIONS)
    assert.deepEqual([...new Set(rows.map((row) => row.status))], ['pending'])
    // A mail the killed worker handed to SMTP but did not record yet is recorded by the retry,
    // once its claim lapses (the send's lease, 45 s, after the activity's 30 s timeout): the
    // retry sends it again (the one duplicate the crash window allows). Wait for that.
    const unsentCount = async () => {
      const [unsent] = await asOwner((trx) =>
        trx
          .from('sent_notifications')
          .whereIn('recipient', emails)
          .whereNull('sent_at')
          .count('* as n')
      )
      return Number(unsent.n)
    }
    await eventually(async () => (await unsentCount()) === 0, {
      timeoutMs: 120_000,
      what: 'every delivered mail recorded as sent',
    }).catch(() => {})
    assert.equal(await unsentCount(), 0)

    const perRecipient = new Map<string, number>()
    for (const to of await mailpit.recipients())
      perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1)
    const duplicates = [...perRecipient.values()].reduce((sum, n) => sum + n - 1, 0)
    assert.deepEqual([...perRecipient.keys()].sort(), [...emails].sort())
    assert.isAtMost(duplicates / INVITATIONS, 0.01, `${duplicates} duplicate mails`)
    console.log(
      `[measure] worker SIGKILLed after ${sentBeforeKill}/${INVITATIONS} mails (${sentAtKill} at kill): ` +
        `all ${INVITATIONS} delivered ${recoveredInMs} ms after the kill, ${duplicates} duplicate(s)`
    )
    second.child.kill('SIGTERM')
    await second.exit
  }).timeout(360_000)
})
