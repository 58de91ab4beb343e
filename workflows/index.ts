/* The worker bundles this file: export every workflow here (one file per workflow). */
export { ping } from './ping.js'
