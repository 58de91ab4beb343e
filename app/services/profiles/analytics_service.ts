import type { Redis } from 'ioredis'
import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import { cacheRedis } from '#services/platform/cache_store'
import { ProblemException } from '#exceptions/problem_exception'

/*
| Analytics aggregates in Redis, updated as events happen (all recording is best
| effort: a Redis outage never fails the request that caused the event).
|   a:{school}:completion        hash membershipId -> profile completion score
|   a:{school}:dau:{YYYY-MM-DD}  HyperLogLog of active user ids (kept 3 days)
|   a:{school}:mau:{YYYY-MM}     HyperLogLog of active user ids (kept 62 days)
|   a:{school}:searches:{day}    counter; a:{school}:searches:total
|   a:{school}:applications      hash status -> applications currently in that status
| `node ace analytics:rebuild` recomputes completion and applications from PostgreSQL.
*/
const key = (schoolId: string, ...parts: string[]) => ['a', schoolId, ...parts].join(':')
export const COMPLETION_BUCKETS = ['0', '25', '50', '75', '100'] as const

async function quietly(what: string, work: (redis: Redis) => Promise<unknown>) {
  try {
    await work(await cacheRedis())
  } catch (error) {
    logger.warn({ err: error }, `analytics: ${what} not recorded`)
  }
}

export function recordProfileCompletion(schoolId: string, membershipId: string, score: number) {
  return quietly('profile completion', (redis) =>
    redis.hset(key(schoolId, 'completion'), membershipId, String(score))
  )
}

/** Daily and monthly active users (called on authenticated school requests; one pipelined round trip). */
export function recordActiveUser(schoolId: string, userId: string, now = DateTime.utc()) {
  return quietly('active user', async (redis) => {
    const day = key(schoolId, 'dau', now.toISODate()!)
    const month = key(schoolId, 'mau', now.toFormat('yyyy-MM'))
    await redis
      .pipeline()
      .pfadd(day, userId)
      .expire(day, 3 * 86400)
      .pfadd(month, userId)
      .expire(month, 62 * 86400)
      .exec()
  })
}

export function recordJobSearch(schoolId: string, now = DateTime.utc()) {
  return quietly('job search', async (redis) => {
    const day = key(schoolId, 'searches', now.toISODate()!)
    await redis
      .pipeline()
      .incr(day)
      .expire(day, 35 * 86400)
      .incr(key(schoolId, 'searches', 'total'))
      .exec()
  })
}

export function recordApplicationStatusChange(schoolId: string, from: string | null, to: string) {
  return quietly('application status', async (redis) => {
    const pipeline = redis.pipeline()
    if (from) pipeline.hincrby(key(schoolId, 'applications'), from, -1)
    pipeline.hincrby(key(schoolId, 'applications'), to, 1)
    await pipeline.exec()
  })
}

export interface AnalyticsOverview {
  schoolId: string
  cohortId: string | null
  profileCompletion: { members: number; average: number; distribution: Record<string, number> }
  activeUsers: { daily: number; monthly: number }
  jobSearches: { today: number; last30Days: number; total: number }
  applicationsByStatus: Record<string, number>
}

/** Reads the aggregates (optionally only a cohort's members for completion); 503 when Redis is down. */
export async function overview(
  schoolId: string,
  cohortMembershipIds: string[] | null,
  now = DateTime.utc()
): Promise<AnalyticsOverview> {
  try {
    const redis = await cacheRedis()
    const days = Array.from({ length: 30 }, (_, i) =>
      key(schoolId, 'searches', now.minus({ days: i }).toISODate()!)
    )
    const scoresPromise = cohortMembershipIds
      ? cohortMembershipIds.length
        ? redis.hmget(key(schoolId, 'completion'), ...cohortMembershipIds)
        : Promise.resolve([] as (string | null)[])
      : redis.hvals(key(schoolId, 'completion'))
    const [scores, daily, monthly, searches, total, applications] = await Promise.all([
      scoresPromise,
      redis.pfcount(key(schoolId, 'dau', now.toISODate()!)),
      redis.pfcount(key(schoolId, 'mau', now.toFormat('yyyy-MM'))),
      redis.mget(...days),
      redis.get(key(schoolId, 'searches', 'total')),
      redis.hgetall(key(schoolId, 'applications')),
    ])
    const distribution = Object.fromEntries(COMPLETION_BUCKETS.map((bucket) => [bucket, 0]))
    let sum = 0
    let members = 0
    for (const value of scores) {
      // cohort members without a recorded score count as 0
      const score = value === null ? 0 : Number(value)
      const bucket = String(Math.max(0, Math.min(100, Math.floor(score / 25) * 25)))
      distribution[bucket] = (distribution[bucket] ?? 0) + 1
      sum += score
      members += 1
    }
    return {
      schoolId,
      cohortId: null,
      profileCompletion: {
        members,
        average: members ? Math.round(sum / members) : 0,
        distribution,
      },
      activeUsers: { daily, monthly },
      jobSearches: {
        today: Number(searches[0] ?? 0),
        last30Days: searches.reduce((acc, value) => acc + Number(value ?? 0), 0),
        total: Number(total ?? 0),
      },
      applicationsByStatus: Object.fromEntries(
        Object.entries(applications)
          .map(([status, count]) => [status, Number(count)] as const)
          .filter(([, count]) => count > 0)
      ),
    }
  } catch (error) {
    if (error instanceof ProblemException) throw error
    logger.warn({ err: error }, 'analytics: redis unavailable')
    throw new ProblemException(
      503,
      'analytics-unavailable',
      'Service Unavailable',
      'Analytics are temporarily unavailable.'
    )
  }
}

/** Replaces a school's completion and application aggregates with values computed elsewhere. */
export async function replaceSchoolAggregates(
  schoolId: string,
  completion: Record<string, number>,
  applications: Record<string, number>
) {
  const redis = await cacheRedis()
  const pipeline = redis.multi()
  pipeline.del(key(schoolId, 'completion'), key(schoolId, 'applications'))
  if (Object.keys(completion).length) {
    pipeline.hset(
      key(schoolId, 'completion'),
      Object.fromEntries(Object.entries(completion).map(([id, score]) => [id, String(score)]))
    )
  }
  if (Object.keys(applications).length) {
    pipeline.hset(
      key(schoolId, 'applications'),
      Object.fromEntries(Object.entries(applications).map(([status, n]) => [status, String(n)]))
    )
  }
  await pipeline.exec()
}

/**
 * Recomputes completion scores and application counts of every school from PostgreSQL
 * (DAU/MAU and search counters are event streams and are kept). Reports progress per school.
 */
export async function rebuildAnalytics(
  onProgress: (done: number, total: number) => void = () => {}
) {
  const { withTenant } = await import('#services/platform/tenant_context')
  const { computeProfileCompletion } = await import('#services/profiles/profile_completion')
  const schools: { id: string }[] = await withTenant({ platformScope: true }, (trx) =>
    trx.from('schools').select('id').orderBy('id')
  )
  onProgress(0, schools.length)
  let done = 0
  for (const school of schools) {
    const { completion, applications } = await withTenant({ schoolId: school.id }, async (trx) => {
      const members: { id: string }[] = await trx
        .from('memberships')
        .where({ school_id: school.id, role: 'learner', status: 'active' })
        .select('id')
      const scores: Record<string, number> = {}
      for (const member of members) {
        const { score } = await computeProfileCompletion(trx, school.id, member.id)
        scores[member.id] = score
      }
      const hasApplications = await trx.rawQuery<{ rows: { t: string | null }[] }>(
        `select to_regclass('public.applications')::text as t`
      )
      const counts: Record<string, number> = {}
      if (hasApplications.rows[0].t) {
        const rows: { status: string; n: string }[] = await trx
          .from('applications')
          .where('school_id', school.id)
          .groupBy('status')
          .select('status')
          .count('* as n')
        for (const row of rows) counts[row.status] = Number(row.n)
      }
      return { completion: scores, applications: counts }
    })
    await replaceSchoolAggregates(school.id, completion, applications)
    done += 1
    onProgress(done, schools.length)
  }
  return { schools: schools.length }
}
