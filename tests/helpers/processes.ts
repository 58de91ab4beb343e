import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import { Connection } from '@temporalio/client'
import { closedPort } from '#tests/helpers/faults'
import { SEARCH_ATTRIBUTES } from '../../commands/temporal_setup.js'

/** Polls `probe` every 200 ms until it resolves truthy, at most `timeoutMs`. */
async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

function exited(child: ChildProcess) {
  return new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

/**
 * A Temporal dev server of the test's own (loopback port, its own SQLite file, headless),
 * so a test can stop and restart Temporal without touching the shared one.
 */
export async function startPrivateTemporal(namespace: string) {
  const binary =
    process.env.TEMPORAL_CLI_PATH ??
    join(homedir(), '.cache/pathways/tools/temporal-1.5.1/temporal')
  const dir = await mkdtemp(join(tmpdir(), 'pathways-temporal-'))
  const port = await closedPort()
  const httpPort = await closedPort()
  let child: ChildProcess | null = null
  const address = `127.0.0.1:${port}`

  const serving = async () => {
    const connection = await Connection.connect({ address, connectTimeout: '1s' })
    try {
      await connection.workflowService.describeNamespace({ namespace })
      return true
    } finally {
      await connection.close()
    }
  }

  const start = async () => {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)]
    args.push(
      '--http-port',
      String(httpPort),
      '--headless',
      '--db-filename',
      join(dir, 'temporal.db')
    )
    args.push('--namespace', namespace, '--log-level', 'error')
    for (const name of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`)
    const env = { ...process.env }
    delete env.TEMPORAL_ADDRESS
    delete env.TEMPORAL_NAMESPACE
    child = spawn(binary, args, { env, stdio: 'ignore' })
    await until(serving, 60_000, 'the private Temporal server')
  }

  const stop = async () => {
    const running = child
    child = null
    if (!running) return
    running.kill('SIGTERM')
    await exited(running)
  }

  await start()
  return {
    address,
    start,
    stop,
    async dispose() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** `node ace temporal:worker` as a real child process; `exit` resolves with its exit code. */
export function spawnWorkerProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['ace', 'temporal:worker'], {
    cwd: app.appRoot.pathname,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return {
    child,
    exit: exited(child),
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited(child)
    },
  }
}

export { until }
