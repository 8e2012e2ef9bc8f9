import { createSecureServer } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An https server on 127.0.0.1 for tests: HTTP/2 only (`allowHTTP1: false`, as nghttpd), or
 * HTTP/1.1 only. Serves registered bodies with single byte ranges and logs every request with
 * the HTTP version it came in and the TLS connections made.
 */

/** One request as the server saw it. */
export interface TlsRequestLog {
  readonly path: string;
  readonly httpVersion: string;
  readonly range: string | undefined;
}

/** Options of `startTlsServer`. */
export interface TlsServerOptions {
  readonly key: string;
  readonly cert: string;
  /** `h2`: HTTP/2 and nothing else; `http/1.1`: no HTTP/2. */
  readonly protocol: 'h2' | 'http/1.1';
}

/** A running test https server. */
export interface TlsTestServer {
  readonly origin: string;
  url(path: string): string;
  setFile(path: string, body: Buffer): void;
  readonly requests: readonly TlsRequestLog[];
  /** TLS connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startTlsServer(options: TlsServerOptions): Promise<TlsTestServer> {
  const files = new Map<string, Buffer>();
  const requests: TlsRequestLog[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const handle = (req: AnyRequest, res: AnyResponse): void => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    requests.push({ path, httpVersion: req.httpVersion, range });
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404, { 'content-length': '0' });
      res.end();
      return;
    }
    const headers = { etag: '"t1"', 'accept-ranges': 'bytes' };
    const match = range === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(range);
    if (match !== null) {
      const start = Number(match[1]);
      const end = match[2] === '' || match[2] === undefined ? body.length - 1 : Number(match[2]);
      const last = Math.min(end, body.length - 1);
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${start}-${last}/${body.length}`,
        'content-length': String(last - start + 1),
      });
      res.end(body.subarray(start, last + 1));
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  };
  const tls = { key: options.key, cert: options.cert };
  const server =
    options.protocol === 'h2'
      ? createSecureServer({ ...tls, allowHTTP1: false }, handle)
      : createHttpsServer(tls, handle);
  server.on('secureConnection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that offers no protocol the server speaks: close at once (nghttpd does too).
  server.on('unknownProtocol', (socket: Socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    setFile(path, body) {
      files.set(path, body);
    },
    requests,
    connections: () => connections,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
