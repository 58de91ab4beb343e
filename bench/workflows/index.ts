/* The bench-only worker bundles this file (bench/invitations.ts): never the production worker. */
export { noop } from './noop.js'
export { sameShape } from './same_shape.js'
