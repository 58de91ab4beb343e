import { createServer } from 'node:net'
import { Redis } from 'ioredis'

/** A port nothing listens on (bound once, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A real Redis client pointed at a closed port: every command fails at once. */
export async function deadRedis() {
  const client = new Redis({
    host: '127.0.0.1',
    port: await closedPort(),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => {}) // expected: nothing listens
  return client
}
