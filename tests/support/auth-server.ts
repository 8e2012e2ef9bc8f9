import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-listen.js';

/**
 * A file server on 127.0.0.1 that guards its files with HTTP authentication, as Apache's
 * mod_auth_basic / mod_auth_digest and nginx do: Basic (RFC 7617) or Digest (RFC 7616, MD5 or
 * SHA-256, qop=auth), checking every answer itself (its own parsing, not the client's code).
 * Files answer ranges (206), so segmented transfers run against it too, and may carry extra
 * response headers (e.g. Repr-Digest).
 */
export interface AuthServerOptions {
  /** `basic`, `digest` or `none` (no authentication at all). */
  readonly scheme: 'basic' | 'digest' | 'none';
  readonly user: string;
  readonly password: string;
  readonly realm?: string;
  /** Digest algorithm announced (default MD5). */
  readonly algorithm?: 'MD5' | 'SHA-256';
  /**
   * Act as a forwarding proxy that serves the files itself: answer 407 with
   * Proxy-Authenticate instead of 401, and read Proxy-Authorization.
   */
  readonly proxyStatus?: boolean;
}

/** One served file. */
export interface AuthFile {
  readonly body: Buffer;
  /** Extra response headers on 200 and 206 answers. */
  readonly headers?: OutgoingHttpHeaders;
}

/** What a request carried and got. */
export interface AuthRequestLog {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly range: string | undefined;
  readonly status: number;
}

/** A running authenticating file server. */
export interface AuthServer {
  readonly origin: string;
  url(path: string): string;
  setFile(path: string, file: AuthFile): void;
  /** Every request so far. */
  readonly requests: readonly AuthRequestLog[];
  /** The next Digest answer with the current nonce is told `stale=true` and gets a new nonce. */
  expireNonce(): void;
  close(): Promise<void>;
}

/** Starts an authenticating file server on an ephemeral loopback port. */
export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const realm = options.realm ?? 'ferry-test';
  const algorithm = options.algorithm ?? 'MD5';
  const files = new Map<string, AuthFile>();
  const requests: AuthRequestLog[] = [];
  let nonce = randomBytes(12).toString('base64');
  const opaque = randomBytes(8).toString('hex');
  let staleNonce: string | null = null;
  const hash = (text: string): string =>
    createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text, 'utf8')
      .digest('hex');
  const deniedStatus = options.proxyStatus === true ? 407 : 401;
  const challengeHeader = options.proxyStatus === true ? 'proxy-authenticate' : 'www-authenticate';
  const answerHeader = options.proxyStatus === true ? 'proxy-authorization' : 'authorization';

  const challenge = (stale: boolean): string =>
    options.scheme === 'basic'
      ? `Basic realm="${realm}", charset="UTF-8"`
      : `Digest realm="${realm}", qop="auth", algorithm=${algorithm}, nonce="${nonce}", opaque="${opaque}"${stale ? ', stale=true' : ''}`;

  /** 'ok', 'stale' or 'denied' for the request's answer. */
  const verdict = (req: IncomingMessage): 'ok' | 'stale' | 'denied' => {
    if (options.scheme === 'none') return 'ok';
    const answer = req.headers[answerHeader];
    if (typeof answer !== 'string') return 'denied';
    if (options.scheme === 'basic') {
      const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(answer);
      if (match === null) return 'denied';
      const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
      return decoded === `${options.user}:${options.password}` ? 'ok' : 'denied';
    }
    if (!answer.startsWith('Digest ')) return 'denied';
    const params = new Map<string, string>();
    for (const m of answer.slice(7).matchAll(/([a-z]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
      params.set(m[1] ?? '', (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
    }
    if (params.get('username') !== options.user || params.get('realm') !== realm) return 'denied';
    if (params.get('uri') !== req.url || params.get('qop') !== 'auth') return 'denied';
    if (params.get('opaque') !== opaque) return 'denied';
    if ((params.get('algorithm') ?? 'MD5') !== algorithm) return 'denied';
    const ha1 = hash(`${options.user}:${realm}:${options.password}`);
    const ha2 = hash(`${req.method ?? 'GET'}:${req.url ?? ''}`);
    const expected = hash(
      `${ha1}:${params.get('nonce') ?? ''}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:auth:${ha2}`,
    );
    if (params.get('response') !== expected) return 'denied';
    if (params.get('nonce') === staleNonce) return 'stale';
    return params.get('nonce') === nonce ? 'ok' : 'denied';
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // A forwarding proxy gets the absolute form (GET http://host/path): serve its path.
    const target = req.url ?? '/';
    const path = (/^https?:/.test(target) ? new URL(target).pathname : target).split('?')[0] ?? '/';
    const log = (status: number): void => {
      const answer = req.headers[answerHeader];
      requests.push({
        path,
        authorization: typeof answer === 'string' ? answer : undefined,
        range: req.headers.range,
        status,
      });
    };
    const result = verdict(req);
    if (result !== 'ok') {
      log(deniedStatus);
      res.writeHead(deniedStatus, { [challengeHeader]: challenge(result === 'stale') });
      res.end('authentication required');
      return;
    }
    const file = files.get(path);
    if (file === undefined) {
      log(404);
      res.writeHead(404);
      res.end();
      return;
    }
    const size = file.body.length;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range !== null) {
      const start = Number(range[1]);
      const end = range[2] === '' || range[2] === undefined ? size - 1 : Number(range[2]);
      if (start >= size) {
        log(416);
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      log(206);
      res.writeHead(206, {
        ...file.headers,
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': end - start + 1,
        etag: '"v1"',
        'accept-ranges': 'bytes',
      });
      res.end(file.body.subarray(start, end + 1));
      return;
    }
    log(200);
    res.writeHead(200, {
      ...file.headers,
      'content-length': size,
      etag: '"v1"',
      'accept-ranges': 'bytes',
    });
    res.end(file.body);
  };

  const server: Server = createServer(handle);
  const port = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    setFile: (path, file) => files.set(path, file),
    requests,
    expireNonce() {
      staleNonce = nonce;
      nonce = randomBytes(12).toString('base64');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
