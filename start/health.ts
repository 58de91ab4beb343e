import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { HealthChecks } from '@adonisjs/health'
import { DbCheck } from '@adonisjs/lucid/database'
import { RedisCheck } from '@adonisjs/redis'
import { TemporalCheck } from '#services/health/temporal_check'
import { S3Check } from '#services/health/s3_check'
import { SearchCheck } from '#services/health/search_check'

/* Everything /health/ready waits on: one check per dependency. */
export const healthChecks = new HealthChecks().register([
  new DbCheck(db.connection()),
  new RedisCheck(redis.connection()),
  new TemporalCheck(),
  new S3Check(),
  new SearchCheck(),
])
