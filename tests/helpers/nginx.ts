/*
| A TLS-terminating TCP proxy (Debian nginx + its `stream` module) in front of the
| Temporal dev server, for the Temporal mutual-TLS tests: the dev server has no TLS
| flags. nginx is installed on demand (apt-get, only when running as root) and
| started by the test itself on a free port; `bin/services` is not involved.
*/
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'

function nginxBinary() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (existsSync(candidate)) return candidate
  }
  return null
}

/** Installs Debian's nginx with the stream module when missing (root only). */
export function ensureNginx(): string {
  let binary = nginxBinary()
  if (!binary || !existsSync(STREAM_MODULE)) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'nginx with the stream module is missing: apt-get install nginx libnginx-mod-stream'
      )
    }
    const apt = (args: string[]) =>
      execFileSync('apt-get', args, {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      })
    const install = ['install', '-y', '--no-install-recommends', 'nginx', 'libnginx-mod-stream']
    try {
      apt(install)
    } catch {
      // A fresh machine may have no package lists yet.
      apt(['update'])
      apt(install)
    }
    binary = nginxBinary()
  }
  if (!binary) throw new Error('nginx could not be installed')
  return binary
}

async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function waitForPort(port: number, process: ChildProcess, log: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (process.exitCode !== null) {
      throw new Error(`nginx exited (${process.exitCode}): ${readFileSync(log, 'utf8')}`)
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    // back-off between readiness probes while nginx starts (nginx prints no readiness signal)
    await new Promise<void>((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nginx did not listen on ${port}`)
}

export interface TlsProxy {
  port: number
  stop(): Promise<void>
}

/** Starts nginx: TLS with `ssl_verify_client on` on a free port, proxied to `upstream`. */
export async function startTlsProxy(options: {
  upstream: string
  certPath: string
  keyPath: string
  clientCaPath: string
}): Promise<TlsProxy> {
  const binary = ensureNginx()
  const dir = mkdtempSync(join(tmpdir(), 'pathways-nginx-'))
  const port = await freePort()
  const log = join(dir, 'error.log')
  writeFileSync(
    join(dir, 'nginx.conf'),
    `load_module ${STREAM_MODULE};
daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${log} info;
events { worker_connections 64; }
stream {
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${options.certPath};
    ssl_certificate_key ${options.keyPath};
    ssl_client_certificate ${options.clientCaPath};
    ssl_verify_client on;
    ssl_verify_depth 2;
    ssl_protocols TLSv1.2 TLSv1.3;
    # gRPC needs HTTP/2, negotiated by ALPN on the TLS layer nginx terminates.
    ssl_alpn h2;
    proxy_pass ${options.upstream};
  }
}
`
  )
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', log], {
    stdio: 'ignore',
  })
  await waitForPort(port, child, log)
  return {
    port,
    async stop() {
      if (child.exitCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
    },
  }
}
