// Squid for the interoperability tests (conf/squid.conf: Debian's stock access rules).
import { execFileSync } from 'node:child_process';
import { chownSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  daemonDir,
  findProgram,
  firstExisting,
  freePort,
  renderConfig,
  startDaemon,
} from './daemons.js';
import type { Daemon } from './daemons.js';
import { writeIn } from './daemons.js';

/** One line of Squid's access.log (native format). */
export interface SquidLogEntry {
  /** e.g. TCP_MISS, TCP_TUNNEL, TCP_DENIED. */
  readonly action: string;
  readonly status: number;
  readonly method: string;
  /** The absolute URL, or `host:port` for CONNECT. */
  readonly url: string;
  /** The authenticated user, `-` when none. */
  readonly user: string;
}

/** Options of `startSquid`. */
export interface SquidOptions {
  /** Ports CONNECT may reach besides 443 (the SSL_ports acl an administrator extends). */
  readonly sslPorts?: readonly number[];
  /** Basic authentication against an htpasswd file made here (basic_ncsa_auth). */
  readonly auth?: { readonly user: string; readonly password: string };
}

/** A running Squid. */
export interface Squid {
  /** `http://127.0.0.1:port`. */
  readonly origin: string;
  readonly host: string;
  /** access.log as parsed so far (Squid writes each line when the transaction ends). */
  accessLog(): SquidLogEntry[];
  stop(): Promise<void>;
}

const NCSA_HELPERS = [
  '/usr/lib/squid/basic_ncsa_auth',
  '/usr/lib64/squid/basic_ncsa_auth',
  '/usr/libexec/squid/basic_ncsa_auth',
];

/** Starts Squid in the foreground (`-N`) on a free port of 127.0.0.1. */
export async function startSquid(options: SquidOptions = {}): Promise<Squid> {
  const squid = findProgram('squid');
  if (squid === null) throw new Error('squid is not installed');
  const dir = daemonDir('squid');
  const port = await freePort();
  let auth = '';
  if (options.auth !== undefined) {
    const helper = firstExisting(NCSA_HELPERS);
    if (helper === null) throw new Error('basic_ncsa_auth (package squid) is not installed');
    const hash = execFileSync('openssl', ['passwd', '-apr1', options.auth.password], {
      encoding: 'utf8',
    }).trim();
    const passwd = writeIn(dir, 'passwd', `${options.auth.user}:${hash}\n`);
    auth = [
      `auth_param basic program ${helper} ${passwd}`,
      'auth_param basic children 2 startup=1 idle=1',
      'auth_param basic realm ferry-interop',
      'acl authenticated proxy_auth REQUIRED',
      'http_access deny !authenticated',
    ].join('\n');
  }
  // Squid refuses to keep running as root: it switches to an unprivileged user, which must
  // own the folder it writes in.
  const root = process.getuid?.() === 0;
  const config = renderConfig('squid.conf', {
    PORT: String(port),
    DIR: dir,
    SSL_PORTS: (options.sslPorts ?? []).join(' '),
    AUTH: auth,
    USER: root ? 'cache_effective_user proxy' : '',
  });
  const conf = writeIn(dir, 'squid.conf', config);
  if (root) chownTree(dir, 'proxy');
  let daemon: Daemon;
  try {
    daemon = await startDaemon(squid, ['-N', '-f', conf], port, dir);
  } catch (error) {
    const log = readIfAny(join(dir, 'cache.log'));
    throw new Error(`${String(error)}\ncache.log:\n${log}`, { cause: error });
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    accessLog: () => parseAccessLog(readIfAny(join(dir, 'access.log'))),
    stop: () => daemon.stop(),
  };
}

function readIfAny(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Squid's native log: time elapsed client action/status bytes method URL user hier type. */
export function parseAccessLog(text: string): SquidLogEntry[] {
  const out: SquidLogEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [action = '', status = '0'] = (fields[3] ?? '').split('/');
    out.push({
      action,
      status: Number(status),
      method: fields[5] ?? '',
      url: fields[6] ?? '',
      user: fields[7] ?? '-',
    });
  }
  return out;
}

function chownTree(dir: string, user: string): void {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  for (const name of readdirSync(dir)) chownSync(join(dir, name), uid, gid);
}
