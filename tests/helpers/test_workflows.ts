/*
| What test workers bundle: every production workflow, plus `noop` (completes on a signal), which
| the outbox tests start and signal. The production worker bundles workflows/index.ts, without it.
*/
export * from '../../workflows/index.js'
export { noop } from '../../workflows/noop.js'
