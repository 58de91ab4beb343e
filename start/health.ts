import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { HealthChecks } from '@adonisjs/health'
import { DbCheck } from '@adonisjs/lucid/database'
import { RedisCheck } from '@adonisjs/redis'
import { BoundedCheck } from '#services/platform/health/bounded_check'
import { TemporalCheck } from '#services/platform/health/temporal_check'
import { S3Check } from '#services/platform/health/s3_check'
import { SearchCheck } from '#services/platform/health/search_check'

/* Everything /health/ready waits on: one time-bounded check per dependency. */
export const healthChecks = new HealthChecks().register([
  new BoundedCheck(
    `Database health check (${db.primaryConnectionName})`,
    () => new DbCheck(db.connection())
  ),
  new BoundedCheck('Redis health check (main)', () => new RedisCheck(redis.connection())),
  new BoundedCheck('Temporal', () => new TemporalCheck()),
  new BoundedCheck('S3', () => new S3Check()),
  new BoundedCheck('Search', () => new SearchCheck()),
])
