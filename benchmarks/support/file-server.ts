/**
 * The benchmark's loopback file server: serves files from a folder with Range support and an
 * optional per-connection throttle, counting every byte it sends.
 *
 * Every peer (Ferry, curl, wget, aria2c, the bare Node client) downloads from this one server,
 * so the numbers differ only by client. Unthrottled it streams with 1 MiB reads and no extra
 * copies, so it is not the bottleneck (the runner's `--scenario 0` self-check measures curl
 * against it). Throttled, each socket has its own token bucket: a keep-alive connection reused
 * for several requests stays at one rate, as a real per-connection limit would.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { resolveRange } from './range-header.js';
import { createTokenBucket, reserve } from './token-bucket.js';
import type { TokenBucket } from './token-bucket.js';

/** One request as the log records it. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly range: string | null;
  readonly status: number;
  /** Body bytes sent (so far, for a request cut short). */
  bytes: number;
  /** Which connection carried it: connections are numbered from 1 in accept order. */
  readonly connection: number;
}

/** Options of `startFileServer`. */
export interface FileServerOptions {
  /** The folder served at "/"; names are taken as they are, no listing. */
  readonly root: string;
  /** Bytes per second per connection; 0 or absent is unthrottled. Changeable later. */
  readonly bytesPerSecondPerConnection?: number;
  /** Keep every request in `requests()` (off by default: scenario 3 makes thousands). */
  readonly logRequests?: boolean;
}

/** A running server; `close()` ends every connection at once. */
export interface FileServer {
  /** "http://127.0.0.1:PORT" */
  readonly origin: string;
  /** The URL of a file in the root. */
  url(name: string): string;
  /** Body bytes sent so far, all files together, or for one path ("/name"). */
  bytesSent(path?: string): number;
  /** Connections accepted so far. */
  connections(): number;
  /** Requests answered so far. */
  requestCount(): number;
  /** The request log (empty unless `logRequests`). */
  requests(): readonly RequestLogEntry[];
  /** Changes the per-connection limit for new requests (0: unthrottled). */
  setThrottle(bytesPerSecondPerConnection: number): void;
  /** Zeroes the byte, request and connection counters and the log. */
  resetCounters(): void;
  close(): Promise<void>;
}

/** Size of one paced write: small enough for smooth pacing, large enough to be cheap. */
const THROTTLED_CHUNK = 64 * 1024;
/** Read size when unthrottled: large reads keep the syscall count low. */
const FAST_CHUNK = 1024 * 1024;

function etagOf(stats: Stats): string {
  return `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

/** Whether the response was torn down (re-read after every await: the client may leave at any time). */
function isGone(res: ServerResponse): boolean {
  return res.destroyed;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts the server on 127.0.0.1 and an ephemeral port. */
export async function startFileServer(options: FileServerOptions): Promise<FileServer> {
  const root = normalize(options.root);
  let throttle = options.bytesPerSecondPerConnection ?? 0;
  const buckets = new WeakMap<Socket, TokenBucket>();
  const connectionIds = new WeakMap<Socket, number>();
  const sentByPath = new Map<string, number>();
  let sentTotal = 0;
  let connectionCount = 0;
  let requestTotal = 0;
  let log: RequestLogEntry[] = [];

  const count = (path: string, bytes: number, entry: RequestLogEntry): void => {
    sentTotal += bytes;
    sentByPath.set(path, (sentByPath.get(path) ?? 0) + bytes);
    entry.bytes += bytes;
  };

  const bucketOf = (socket: Socket, rate: number): TokenBucket => {
    let bucket = buckets.get(socket);
    if (bucket?.bytesPerSecond !== rate) {
      bucket = createTokenBucket(rate, performance.now());
      buckets.set(socket, bucket);
    }
    return bucket;
  };

  const sendThrottled = async (
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    start: number,
    end: number,
    rate: number,
    entry: RequestLogEntry,
    path: string,
  ): Promise<void> => {
    const bucket = bucketOf(req.socket, rate);
    const stream = createReadStream(file, { start, end, highWaterMark: THROTTLED_CHUNK });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const wait = reserve(bucket, chunk.length, performance.now());
        if (wait > 0) await sleep(wait);
        if (isGone(res)) return;
        count(path, chunk.length, entry);
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
          if (isGone(res)) return;
        }
      }
      res.end();
    } finally {
      stream.destroy();
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requestTotal += 1;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path));
    const rangeHeader = req.headers.range;
    const entry: RequestLogEntry = {
      method: req.method ?? '',
      path,
      range: rangeHeader ?? null,
      status: 0,
      bytes: 0,
      connection: connectionIds.get(req.socket) ?? 0,
    };
    const finish = (status: number): void => {
      (entry as { status: number }).status = status;
      if (options.logRequests === true) log.push(entry);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      finish(405);
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 }).end();
      return;
    }
    const stats = file.startsWith(root + sep)
      ? statSync(file, { throwIfNoEntry: false })
      : undefined;
    if (stats?.isFile() !== true) {
      finish(404);
      res.writeHead(404, { 'Content-Length': 0 }).end();
      return;
    }
    const etag = etagOf(stats);
    const ifRange = req.headers['if-range'];
    const honourRange = ifRange === undefined || ifRange === etag;
    const answer = resolveRange(honourRange ? rangeHeader : undefined, stats.size);
    const headers: Record<string, string | number> = {
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': stats.mtime.toUTCString(),
      'Content-Type': 'application/octet-stream',
    };
    if (answer.kind === 'unsatisfiable') {
      finish(416);
      res.writeHead(416, {
        ...headers,
        'Content-Range': `bytes */${stats.size}`,
        'Content-Length': 0,
      });
      res.end();
      return;
    }
    const start = answer.kind === 'partial' ? answer.start : 0;
    const end = answer.kind === 'partial' ? answer.end : stats.size - 1;
    const status = answer.kind === 'partial' ? 206 : 200;
    if (answer.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${stats.size}`;
    headers['Content-Length'] = end - start + 1;
    finish(status);
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || stats.size === 0) {
      res.end();
      return;
    }
    const rate = throttle;
    if (rate > 0) {
      sendThrottled(req, res, file, start, end, rate, entry, path).catch(() => {
        res.destroy();
      });
      return;
    }
    const stream = createReadStream(file, { start, end, highWaterMark: FAST_CHUNK });
    stream.on('data', (chunk) => {
      count(path, chunk.length, entry);
    });
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };

  const server: Server = createServer(
    { keepAliveTimeout: 30_000, highWaterMark: FAST_CHUNK },
    handle,
  );
  server.on('connection', (socket: Socket) => {
    connectionCount += 1;
    connectionIds.set(socket, connectionCount);
    socket.setNoDelay(true);
  });
  server.on('clientError', (_error, socket) => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (name) => `${origin}/${encodeURIComponent(name)}`,
    bytesSent: (path) => (path === undefined ? sentTotal : (sentByPath.get(path) ?? 0)),
    connections: () => connectionCount,
    requestCount: () => requestTotal,
    requests: () => log,
    setThrottle(bytesPerSecondPerConnection) {
      throttle = bytesPerSecondPerConnection;
    },
    resetCounters() {
      sentTotal = 0;
      sentByPath.clear();
      connectionCount = 0;
      requestTotal = 0;
      log = [];
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
