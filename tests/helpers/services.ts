/** Base URLs of the real local services, as bin/services exported them. */
export function requiredEnv(name: string) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the tests through bin/test`)
  return value
}
