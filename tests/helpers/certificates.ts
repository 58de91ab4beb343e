/*
| Test-time PKI with the machine's `openssl` CLI: a CA, and leaf certificates signed
| by it (server, client with a URI SAN, expired client). Everything lives in a fresh
| temporary directory; nothing is committed.
*/
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Pem {
  cert: string
  key: string
  certPath: string
  keyPath: string
}

function openssl(cwd: string, args: string[]) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

export class TestCa {
  readonly dir: string
  readonly ca: Pem
  #serial = 1

  constructor(readonly name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `pathways-ca-${name}-`))
    writeFileSync(join(this.dir, 'index.txt'), '')
    writeFileSync(join(this.dir, 'serial'), '1000\n')
    openssl(this.dir, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      `/CN=${name} internal CA`,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ])
    this.ca = this.#read('ca')
  }

  #read(base: string): Pem {
    const certPath = join(this.dir, `${base}.crt`)
    const keyPath = join(this.dir, `${base}.key`)
    return {
      certPath,
      keyPath,
      cert: readFileSync(certPath, 'utf8'),
      key: readFileSync(keyPath, 'utf8'),
    }
  }

  /**
   * Issues a leaf certificate. `san` is an openssl subjectAltName value
   * (`URI:spiffe://pathways/analytics`, `DNS:localhost,IP:127.0.0.1`).
   */
  issue(options: { cn: string; san: string; usage: 'server' | 'client'; expired?: boolean }): Pem {
    const base = `leaf${this.#serial++}`
    writeFileSync(
      join(this.dir, `${base}.cnf`),
      [
        '[ ca ]',
        'default_ca = CA_default',
        '[ CA_default ]',
        'dir = .',
        'database = index.txt',
        'new_certs_dir = .',
        'serial = serial',
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        '[ policy_any ]',
        'commonName = supplied',
        '[ ext ]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature',
        `extendedKeyUsage = ${options.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
        `subjectAltName = ${options.san}`,
        '',
      ].join('\n')
    )
    openssl(this.dir, [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
      '-subj',
      `/CN=${options.cn}`,
    ])
    const validity = options.expired
      ? ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']
      : ['-days', '1']
    openssl(this.dir, [
      'ca',
      '-batch',
      '-config',
      `${base}.cnf`,
      '-cert',
      'ca.crt',
      '-keyfile',
      'ca.key',
      '-in',
      `${base}.csr`,
      '-out',
      `${base}.crt`,
      '-extensions',
      'ext',
      '-notext',
      ...validity,
    ])
    return this.#read(base)
  }
}
