import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

let version: string | undefined

/** package.json's version, read once per process. */
export function appVersion(): string {
  version ??= JSON.parse(readFileSync(app.makePath('package.json'), 'utf8')).version as string
  return version
}
