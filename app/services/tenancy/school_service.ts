import type { Infer } from '@vinejs/vine/types'
import School from '#models/tenancy/school'
import { paginate } from '#services/platform/pagination'
import type { createSchoolValidator, updateSchoolValidator } from '#validators/tenancy/tenancy'

/** Schools are a global table: only platform administration reaches these. */
export function listSchools(page: { cursor?: string; limit?: number }) {
  return paginate(School.query(), page)
}

export function createSchool(input: Infer<typeof createSchoolValidator>) {
  return School.create(input)
}

/** The updated school, or null when there is none with this id. */
export async function updateSchool(id: string, input: Infer<typeof updateSchoolValidator>) {
  const school = await School.find(id)
  if (!school) return null
  school.merge(input)
  await school.save()
  return school
}
