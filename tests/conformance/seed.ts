/** Data the conformance runs start from, beyond the school and its members. */
export async function seedConformanceData(
  _schoolId: string,
  _users: Record<string, { id: string; email: string }>
) {
  return { credentials: {} as Record<string, string> }
}
