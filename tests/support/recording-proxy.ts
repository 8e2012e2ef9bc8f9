import { createServer, request as httpRequest } from 'node:http';
import { listenOnLoopback } from './loopback-listen.js';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * One request or tunnel that reached the proxy.
 *
 * `target` is `host:port` for CONNECT and the absolute URL for absolute-form requests.
 * `status` is the proxy's own answer for refusals and tunnels, else the upstream status
 * (0 while pending or when the upstream failed before answering).
 */
export interface ProxyLogEntry {
  method: string;
  target: string;
  proxyAuthorization: string | undefined;
  status: number;
}

/** Options of `startRecordingProxy`. */
export interface RecordingProxyOptions {
  /** Require `Proxy-Authorization: Basic` with these credentials; others get 407. */
  auth?: { username: string; password: string };
}

/** A running recording proxy on 127.0.0.1. */
export interface RecordingProxy {
  /** e.g. `http://127.0.0.1:54321`; use as the proxy URL. */
  readonly origin: string;
  /** Every request and tunnel, in arrival order. */
  readonly log: readonly ProxyLogEntry[];
  /** Clear the log. */
  reset(): void;
  /** Stop listening and destroy every client and upstream socket; safe to call twice. */
  close(): Promise<void>;
}

/** Headers meaningful only for one hop, which a proxy must not forward. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The loopback address to dial for `hostname`, or null when it must not be reached. */
function loopbackHost(hostname: string): string | null {
  // Resolving "localhost" ourselves keeps it on IPv4, where the test servers listen.
  return hostname === '127.0.0.1' || hostname === 'localhost' ? '127.0.0.1' : null;
}

/** Copy of `headers` without hop-by-hop fields. */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
  );
}

/** Split a CONNECT target `host:port` (IPv6 in brackets); null when malformed. */
function parseAuthority(authority: string): { hostname: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(authority);
  if (!match) return null;
  const [, hostname = '', port = ''] = match;
  const portNumber = Number(port);
  return portNumber > 0 && portNumber < 65536 ? { hostname, port: portNumber } : null;
}

/**
 * Start an HTTP proxy on 127.0.0.1 that forwards to loopback targets and records them.
 *
 * Supports absolute-form requests (`GET http://host:port/path`) and CONNECT tunnels, which
 * undici's ProxyAgent uses even for http:// targets unless `proxyTunnel: false`. Targets
 * other than 127.0.0.1/localhost get 403, so a misconfigured test never reaches the network.
 */
export async function startRecordingProxy(
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  const sockets = new Set<Socket>();
  let log: ProxyLogEntry[] = [];
  const expectedAuth = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : undefined;

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const record = (req: IncomingMessage): ProxyLogEntry => {
    const header = req.headers['proxy-authorization'];
    const entry: ProxyLogEntry = {
      method: req.method ?? 'GET',
      target: req.url ?? '',
      proxyAuthorization: header,
      status: 0,
    };
    log.push(entry);
    return entry;
  };
  const authorized = (entry: ProxyLogEntry): boolean =>
    expectedAuth === undefined || entry.proxyAuthorization === expectedAuth;

  const refuse = (res: ServerResponse, entry: ProxyLogEntry, status: number): void => {
    entry.status = status;
    const headers: Record<string, string> = { 'Content-Length': '0', Connection: 'close' };
    if (status === 407) headers['Proxy-Authenticate'] = 'Basic realm="ferry-test"';
    res.writeHead(status, headers);
    res.end();
  };

  const server = createServer((req, res) => {
    const entry = record(req);
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (!authorized(entry)) {
      refuse(res, entry, 407);
      return;
    }
    let url: URL;
    try {
      url = new URL(entry.target);
    } catch {
      refuse(res, entry, 400);
      return;
    }
    const host = loopbackHost(url.hostname);
    if (url.protocol !== 'http:' || host === null) {
      refuse(res, entry, 403);
      return;
    }
    const upstream = httpRequest(
      {
        host,
        port: url.port === '' ? 80 : Number(url.port),
        method: entry.method,
        path: `${url.pathname}${url.search}`,
        headers: endToEnd(req.headers),
        agent: false,
      },
      (answer) => {
        entry.status = answer.statusCode ?? 502;
        res.writeHead(entry.status, endToEnd(answer.headers));
        answer.pipe(res);
        // A body cut short upstream must look cut short to the client too.
        answer.once('close', () => {
          if (!answer.complete) res.destroy();
        });
        answer.on('error', () => undefined);
      },
    );
    upstream.on('socket', track);
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else refuse(res, entry, 502);
    });
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const entry = record(req);
    client.on('error', () => undefined);
    const answer = (status: number, reason: string, extra = ''): void => {
      entry.status = status;
      client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\n\r\n`);
    };
    if (!authorized(entry)) {
      answer(
        407,
        'Proxy Authentication Required',
        'Proxy-Authenticate: Basic realm="ferry-test"\r\n',
      );
      return;
    }
    const authority = parseAuthority(entry.target);
    const host = authority ? loopbackHost(authority.hostname) : null;
    if (authority === null || host === null) {
      answer(authority === null ? 400 : 403, authority === null ? 'Bad Request' : 'Forbidden');
      return;
    }
    const upstream = connect({ host, port: authority.port });
    track(upstream);
    let open = false;
    upstream.once('connect', () => {
      open = true;
      entry.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (open) client.destroy();
      else answer(502, 'Bad Gateway');
    });
    upstream.once('close', () => {
      // Before the tunnel opened, the 502 answer is still being written: let it finish.
      if (open) client.destroy();
    });
    client.once('close', () => upstream.destroy());
  });

  server.on('connection', track);
  const port = await listenOnLoopback(server);
  let closing: Promise<void> | undefined;

  return {
    origin: `http://127.0.0.1:${port}`,
    get log() {
      return log;
    },
    reset() {
      log = [];
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
