/* Shared OpenAPI response schemas for route docs. */
export const object = { type: 'object' }
export const list = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: { data: { type: 'array' }, nextCursor: { type: ['string', 'null'] } },
}
export const forbidden = { 403: { description: 'The caller lacks the permission' } }
