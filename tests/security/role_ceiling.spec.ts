import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { api } from '#tests/helpers/identity_helpers'

/** A 403 answered as problem+json: the attack was refused, not crashed. */
function assertRefused(assert: Assert, response: { status: number; body: any }, message: string) {
  assert.equal(response.status, 403, `${message}: ${JSON.stringify(response.body)}`)
  assert.match(response.body.type, /\/forbidden$/)
}

async function membership(id: string) {
  return asOwner((trx) => trx.from('memberships').where('id', id).first())
}

async function staffedSchool(slug: string) {
  const school = await createSchool(slug)
  const admin = await createUser(`admin@${slug}.test`)
  const staff = await createUser(`staff@${slug}.test`)
  const learner = await createUser(`learner@${slug}.test`)
  const mentor = await createUser(`mentor@${slug}.test`)
  return {
    school,
    admin,
    adminMembership: await addMember(school.id, admin.id, 'school_admin'),
    staffMembership: await addMember(school.id, staff.id, 'staff'),
    learnerMembership: await addMember(school.id, learner.id, 'learner'),
    mentorMembership: await addMember(school.id, mentor.id, 'mentor'),
    staffToken: (await login(staff.email)).accessToken,
  }
}

test.group('Role ceiling: nobody grants what they do not hold', (group) => {
  freshState(group)

  test('staff cannot PATCH a learner to school_admin', async ({ assert }) => {
    const fx = await staffedSchool('mint')
    const base = `/v1/schools/${fx.school.id}/members`

    const minted = await api('PATCH', `${base}/${fx.learnerMembership}`, {
      token: fx.staffToken,
      body: { role: 'school_admin' },
    })
    assertRefused(assert, minted, 'staff minted an admin')
    assert.equal((await membership(fx.learnerMembership)).role, 'learner')

    /* Within the ceiling the same call works: staff may make a learner a mentor. */
    const mentor = await api('PATCH', `${base}/${fx.learnerMembership}`, {
      token: fx.staffToken,
      body: { role: 'mentor' },
    })
    assert.equal(mentor.status, 200)
    assert.equal(mentor.body.role, 'mentor')
  })

  test('staff cannot invite someone as school_admin', async ({ assert }) => {
    const fx = await staffedSchool('invite')
    const invited = await api('POST', `/v1/schools/${fx.school.id}/invitations`, {
      token: fx.staffToken,
      body: { email: 'new-admin@invite.test', role: 'school_admin' },
    })
    assertRefused(assert, invited, 'staff invited an admin')
    const rows = await asOwner((trx) => trx.from('invitations').where('school_id', fx.school.id))
    assert.lengthOf(rows, 0)
  })

  test('without school.manage, nobody changes the role or status of a member above them', async ({
    assert,
  }) => {
    const fx = await staffedSchool('demote')
    const base = `/v1/schools/${fx.school.id}/members`
    for (const body of [{ role: 'learner' }, { status: 'suspended' }, { role: 'staff' }]) {
      assertRefused(
        assert,
        await api('PATCH', `${base}/${fx.adminMembership}`, { token: fx.staffToken, body }),
        `staff changed an admin with ${JSON.stringify(body)}`
      )
    }
    const admin = await membership(fx.adminMembership)
    assert.equal(admin.role, 'school_admin')
    assert.equal(admin.status, 'active')

    /* A mentor holds nothing staff cannot do (profiles.read_all covers read_assigned). */
    const mentor = await api('PATCH', `${base}/${fx.mentorMembership}`, {
      token: fx.staffToken,
      body: { status: 'suspended' },
    })
    assert.equal(mentor.status, 200)
  })

  test('an admin whose role set was narrowed cannot grant beyond it', async ({ assert }) => {
    const fx = await staffedSchool('narrow')
    await asOwner((trx) =>
      trx.table('role_permissions').insert({
        school_id: fx.school.id,
        role: 'school_admin',
        permissions: ['school.manage', 'members.manage', 'members.invite'],
      })
    )
    const token = (await login(fx.admin.email)).accessToken
    const base = `/v1/schools/${fx.school.id}`

    assertRefused(
      assert,
      await api('PATCH', `${base}/members/${fx.learnerMembership}`, {
        token,
        body: { extraPermissions: ['audit.read'] },
      }),
      'extra permission beyond the actor'
    )
    assertRefused(
      assert,
      await api('PATCH', `${base}/members/${fx.learnerMembership}`, {
        token,
        body: { role: 'staff' },
      }),
      'a role whose set exceeds the actor'
    )
    assertRefused(
      assert,
      await api('PUT', `${base}/roles/mentor/permissions`, {
        token,
        body: { permissions: ['audit.read'] },
      }),
      'a role set beyond the actor'
    )
    assertRefused(
      assert,
      await api('PUT', `${base}/roles/school_admin/permissions`, {
        token,
        body: { permissions: ['school.manage', 'audit.read'] },
      }),
      'widening the own role'
    )
    assertRefused(
      assert,
      await api('DELETE', `${base}/roles/school_admin/permissions`, { token }),
      'resetting the own role to the (wider) defaults'
    )
    assertRefused(
      assert,
      await api('POST', `${base}/oauth-clients`, {
        token,
        body: { name: 'Reports', scopes: ['analytics.read'] },
      }),
      'a machine client with a scope beyond the actor'
    )

    const overrides = await asOwner((trx) =>
      trx.from('role_permissions').where('school_id', fx.school.id).select('role', 'permissions')
    )
    assert.deepEqual(overrides, [
      {
        role: 'school_admin',
        permissions: ['school.manage', 'members.manage', 'members.invite'],
      },
    ])
    assert.deepEqual((await membership(fx.learnerMembership)).extra_permissions, [])

    /* Within the ceiling: allowed. */
    const within = await api('PUT', `${base}/roles/mentor/permissions`, {
      token,
      body: { permissions: ['members.invite'] },
    })
    assert.equal(within.status, 200)
  })

  test('a roster client cannot create learners whose role grants more than its scopes', async ({
    assert,
  }) => {
    const fx = await staffedSchool('sis')
    const adminToken = (await login(fx.admin.email)).accessToken
    const created = await api('POST', `/v1/schools/${fx.school.id}/oauth-clients`, {
      token: adminToken,
      body: { name: 'SIS', scopes: ['roster.write'] },
    })
    assert.equal(created.status, 201)
    const issued = await api('POST', '/v1/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: created.body.client.clientId,
        client_secret: created.body.clientSecret,
      },
    })
    const machineToken = issued.body.access_token as string
    const sync = (email: string) =>
      api('POST', `/v1/schools/${fx.school.id}/roster/sync`, {
        token: machineToken,
        body: { learners: [{ email }] },
      })

    assert.equal((await sync('plain@sis.test')).status, 200)

    /* The school made learners able to read every profile: the SIS may not mint such accounts. */
    const learnerSet = await api('PUT', `/v1/schools/${fx.school.id}/roles/learner/permissions`, {
      token: adminToken,
      body: { permissions: ['profiles.read_all'] },
    })
    assert.equal(learnerSet.status, 200)
    assertRefused(assert, await sync('reader@sis.test'), 'roster sync minted a reader')
    const minted = await asOwner((trx) =>
      trx.from('users').where('email', 'reader@sis.test').first()
    )
    assert.isNull(minted ?? null)
  })
})
