/* OpenAPI response schemas shared by the route docs of several areas. */
export const object = { type: 'object' }
export const list = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: { data: { type: 'array' }, nextCursor: { type: ['string', 'null'] } },
}
/** An object schema that requires every property it lists, in the order listed. */
export function requiredObject(properties: Record<string, object>) {
  return { type: 'object', required: Object.keys(properties), properties }
}
/** `{ data: [...] }`: a whole list, not paginated. */
export const dataOf = (items: object) => requiredObject({ data: { type: 'array', items } })
export const forbidden = { 403: 'The caller lacks the permission' }
/** Routes that signal or update a workflow: Temporal's own errors never reach the client. */
export const temporalErrors = {
  409: 'The workflow has already finished (generic detail)',
  503: 'Temporal is unavailable; retry after Retry-After',
}
