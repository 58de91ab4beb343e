import { readFileSync } from 'node:fs'
import { BaseMail } from '@adonisjs/mail'

const cache = new Map<string, string>()

/** A text template beside the mail classes (copied into build/ as a meta file, see adonisrc). */
function template(name: string) {
  let text = cache.get(name)
  if (text === undefined) {
    text = readFileSync(new URL(`./templates/${name}.txt`, import.meta.url), 'utf8')
    cache.set(name, text)
  }
  return text
}

/** Fills `{{ name }}` placeholders; a placeholder without a value is a bug, not a blank. */
export function renderTemplate(name: string, values: Record<string, string | number>) {
  return template(name).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`mail template ${name}: no value for ${key}`)
    return String(values[key])
  })
}

/**
 * A plain-text mail: one recipient, a subject and a template with its values. The
 * recipient and subject are known before sending (the once-only sender records them).
 */
export abstract class TemplateMail extends BaseMail {
  /** the file under templates/, without `.txt` */
  abstract template: string
  declare subject: string

  constructor(readonly recipient: string) {
    super()
  }

  protected abstract values(): Record<string, string | number>

  prepare() {
    this.message.to(this.recipient).text(renderTemplate(this.template, this.values()).trimEnd())
  }
}
