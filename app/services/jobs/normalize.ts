import { createHash } from 'node:crypto'
import sanitizeHtml from 'sanitize-html'

/** One posting in the platform's job schema, whatever board it came from. */
export interface NormalizedJob {
  externalId: string
  title: string
  company: string
  locations: string[]
  remote: boolean
  employmentType: EmploymentType | null
  salaryMin: number | null
  salaryMax: number | null
  salaryCurrency: string | null
  descriptionHtml: string
  descriptionText: string
  postedAt: string | null
  applyUrl: string | null
}

export const EMPLOYMENT_TYPES = [
  'full_time',
  'part_time',
  'contract',
  'temporary',
  'internship',
  'volunteer',
  'other',
] as const
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number]

/** A posting that cannot be normalized: counted as failed and skipped, never fails a run. */
export class MalformedPostingError extends Error {}

const ALLOWED_TAGS = [
  'p',
  'br',
  'ul',
  'ol',
  'li',
  'strong',
  'b',
  'em',
  'i',
  'u',
  'a',
  'h2',
  'h3',
  'h4',
  'h5',
  'blockquote',
  'code',
  'pre',
  'span',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
]

/** Board HTML, sanitized: no scripts, styles, event handlers or javascript: links. */
export function sanitizeDescription(html: string) {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href', 'title'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }) },
  }).trim()
}

/** Plain text of sanitized HTML: block elements become line breaks, entities decoded. */
export function htmlToText(html: string) {
  const spaced = html.replace(/<\/(p|div|li|h\d|tr|blockquote|pre)>|<br\s*\/?>/gi, '$&\n')
  const stripped = sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} })
  return decodeEntities(stripped)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim()
}

const NAMED_ENTITIES: Record<string, string> = {
  'amp': '&',
  'lt': '<',
  'gt': '>',
  'quot': '"',
  'apos': "'",
  'nbsp': '\u00a0',
  '#39': "'",
}

/** Greenhouse returns `content` HTML-escaped (`&lt;p&gt;`): decode it once before sanitizing. */
export function decodeEntities(value: string) {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number(name.slice(1))
      return Number.isFinite(code) && code > 0 && code < 0x110000
        ? String.fromCodePoint(code)
        : entity
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity
  })
}

function text(value: unknown, max = 500): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const trimmed = String(value).replace(/\s+/g, ' ').trim()
  return trimmed ? trimmed.slice(0, max) : null
}

function isoDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  const date = typeof value === 'number' ? new Date(value) : new Date(String(value))
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function httpUrl(value: unknown): string | null {
  const candidate = text(value, 2000)
  if (!candidate) return null
  try {
    const url = new URL(candidate)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null
  } catch {
    return null
  }
}

function money(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const number = typeof value === 'number' ? value : Number(String(value).replace(/[, ]/g, ''))
  return Number.isFinite(number) && number >= 0 && number < 1e12
    ? Math.round(number * 100) / 100
    : null
}

function currency(value: unknown): string | null {
  const code = text(value, 3)?.toUpperCase()
  return code && /^[A-Z]{3}$/.test(code) ? code : null
}

const REMOTE = /\bremote\b|\banywhere\b|\btelecommute\b|\bwork from home\b/i

export function employmentTypeFrom(value: unknown): EmploymentType | null {
  const raw = text(value, 100)
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_')
  if (!raw) return null
  if (/full_?time|permanent|regular/.test(raw)) return 'full_time'
  if (/part_?time|per_diem/.test(raw)) return 'part_time'
  if (/contract/.test(raw)) return 'contract'
  if (/temp/.test(raw)) return 'temporary'
  if (/intern|apprentice/.test(raw)) return 'internship'
  if (/volunteer/.test(raw)) return 'volunteer'
  return 'other'
}

function finish(
  job: Omit<NormalizedJob, 'descriptionHtml' | 'descriptionText'>,
  html: string
): NormalizedJob {
  if (!job.externalId) throw new MalformedPostingError('posting has no id')
  if (!job.title) throw new MalformedPostingError(`posting ${job.externalId} has no title`)
  const descriptionHtml = sanitizeDescription(html)
  let { salaryMin, salaryMax } = job
  if (salaryMin !== null && salaryMax !== null && salaryMin > salaryMax) {
    ;[salaryMin, salaryMax] = [salaryMax, salaryMin]
  }
  const locations = [...new Set(job.locations.map((l) => l.trim()).filter(Boolean))].slice(0, 20)
  return {
    ...job,
    salaryMin,
    salaryMax,
    salaryCurrency: salaryMin !== null || salaryMax !== null ? job.salaryCurrency : null,
    locations,
    remote: job.remote || locations.some((l) => REMOTE.test(l)),
    descriptionHtml,
    descriptionText: htmlToText(descriptionHtml),
  }
}

function record(value: unknown): Record<string, any> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedPostingError('posting is not an object')
  }
  return value as Record<string, any>
}

/**
 * Greenhouse Job Board API: `GET /v1/boards/{token}/jobs?content=true&pay_transparency=true`
 * -> `{ jobs: [{ id, title, updated_at, first_published, location: { name }, absolute_url,
 * content (HTML-escaped), metadata: [{ name, value }], pay_input_ranges: [...] }], meta: { total } }`.
 */
export function normalizeGreenhouse(raw: unknown, company: string): NormalizedJob {
  const job = record(raw)
  const metadata = Array.isArray(job.metadata) ? job.metadata : []
  const meta = (pattern: RegExp) =>
    metadata.find((m: any) => m && typeof m.name === 'string' && pattern.test(m.name))?.value
  const pay = Array.isArray(job.pay_input_ranges) ? job.pay_input_ranges[0] : undefined
  const locationNames = [
    text(job.location?.name),
    ...(Array.isArray(job.offices)
      ? job.offices.map((o: any) => text(o?.location ?? o?.name))
      : []),
  ].filter((l): l is string => !!l)
  return finish(
    {
      externalId: text(job.id, 300) ?? '',
      title: text(job.title) ?? '',
      company: text(job.company_name, 200) ?? company,
      locations: locationNames,
      remote: false,
      employmentType: employmentTypeFrom(meta(/employment|commitment|job type/i)),
      salaryMin: pay ? money(Number(pay.min_cents) / 100) : null,
      salaryMax: pay ? money(Number(pay.max_cents) / 100) : null,
      salaryCurrency: pay ? currency(pay.currency_type) : null,
      postedAt: isoDate(job.first_published ?? job.updated_at),
      applyUrl: httpUrl(job.absolute_url),
    },
    typeof job.content === 'string' ? decodeEntities(job.content) : ''
  )
}

/**
 * Lever Postings API: `GET /v0/postings/{site}?mode=json&skip=&limit=` -> an array of
 * `{ id, text, categories: { commitment, location, allLocations, team }, createdAt (ms),
 * description, descriptionPlain, lists: [{ text, content }], additional, hostedUrl, applyUrl,
 * workplaceType, salaryRange: { min, max, currency, interval } }`.
 */
export function normalizeLever(raw: unknown, company: string): NormalizedJob {
  const job = record(raw)
  const categories = job.categories && typeof job.categories === 'object' ? job.categories : {}
  const locations: string[] = Array.isArray(categories.allLocations)
    ? categories.allLocations.map((l: unknown) => text(l)).filter(Boolean)
    : [text(categories.location)].filter((l): l is string => !!l)
  const lists = Array.isArray(job.lists)
    ? job.lists
        .map(
          (l: any) =>
            `<h3>${sanitizeHtml(String(l?.text ?? ''), { allowedTags: [] })}</h3><ul>${String(l?.content ?? '')}</ul>`
        )
        .join('')
    : ''
  const salary = job.salaryRange && typeof job.salaryRange === 'object' ? job.salaryRange : null
  return finish(
    {
      externalId: text(job.id, 300) ?? '',
      title: text(job.text) ?? '',
      company,
      locations,
      remote: job.workplaceType === 'remote',
      employmentType: employmentTypeFrom(categories.commitment),
      salaryMin: salary ? money(salary.min) : null,
      salaryMax: salary ? money(salary.max) : null,
      salaryCurrency: salary ? currency(salary.currency) : null,
      postedAt: isoDate(job.createdAt),
      applyUrl: httpUrl(job.applyUrl ?? job.hostedUrl),
    },
    `${typeof job.description === 'string' ? job.description : ''}${lists}${typeof job.additional === 'string' ? job.additional : ''}`
  )
}

/**
 * schema.org `JobPosting` (JSON-LD): title, description, datePosted, employmentType,
 * hiringOrganization { name }, jobLocation { address { addressLocality, addressRegion,
 * addressCountry } } (one or many), jobLocationType TELECOMMUTE, baseSalary { currency,
 * value { minValue, maxValue, value } }, identifier (string or PropertyValue), url.
 */
export function normalizeJobPosting(raw: unknown, company: string): NormalizedJob {
  const job = record(raw)
  if (job['@type'] !== undefined && job['@type'] !== 'JobPosting') {
    throw new MalformedPostingError('not a JobPosting')
  }
  const places = Array.isArray(job.jobLocation)
    ? job.jobLocation
    : job.jobLocation
      ? [job.jobLocation]
      : []
  const locations = places
    .map((place: any) => {
      const address = place?.address
      if (typeof address === 'string') return text(address)
      if (!address || typeof address !== 'object') return text(place?.name)
      const country =
        typeof address.addressCountry === 'object'
          ? address.addressCountry?.name
          : address.addressCountry
      return [address.addressLocality, address.addressRegion, country]
        .map((part) => text(part))
        .filter(Boolean)
        .join(', ')
    })
    .filter((l: string | null): l is string => !!l)
  const types = Array.isArray(job.employmentType) ? job.employmentType : [job.employmentType]
  const salary = job.baseSalary && typeof job.baseSalary === 'object' ? job.baseSalary : null
  const value = salary?.value && typeof salary.value === 'object' ? salary.value : null
  const identifier =
    job.identifier && typeof job.identifier === 'object' ? job.identifier.value : job.identifier
  const organization =
    job.hiringOrganization && typeof job.hiringOrganization === 'object'
      ? job.hiringOrganization.name
      : job.hiringOrganization
  return finish(
    {
      externalId: text(identifier, 300) ?? text(job.url, 300) ?? '',
      title: text(job.title) ?? '',
      company: text(organization, 200) ?? company,
      locations,
      remote: String(job.jobLocationType ?? '').toUpperCase() === 'TELECOMMUTE',
      employmentType: employmentTypeFrom(types[0]),
      salaryMin: money(value ? (value.minValue ?? value.value) : salary?.value),
      salaryMax: money(value ? (value.maxValue ?? value.value) : salary?.value),
      salaryCurrency: currency(salary?.currency ?? value?.currency),
      postedAt: isoDate(job.datePosted),
      applyUrl: httpUrl(job.url),
    },
    typeof job.description === 'string' ? job.description : ''
  )
}

/** Stable hash of the normalized content: equal hash = nothing to rewrite. */
export function contentHash(job: NormalizedJob) {
  const ordered = Object.keys(job)
    .sort()
    .map((key) => [key, job[key as keyof NormalizedJob]])
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex')
}
