import { createServer, STATUS_CODES } from 'node:http';
import { listenOnLoopback } from './loopback-listen.js';
import { establishedTo } from './tcp-table.js';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { bodyFaults, noFaultsYet, sendBody, sleep } from './http-faults.js';
import type { FaultCounts } from './http-faults.js';
import { contentEtag, testFileSize } from './test-file.js';
import type { TestFile } from './test-file.js';

export {
  contentEtag,
  readTestFileRange,
  sha256OfPath,
  sha256OfTestFile,
  testFileSize,
  writeTestFile,
} from './test-file.js';
export type { TestFile, TestFileBody } from './test-file.js';

/** Last-Modified sent when a TestFile does not choose one. */
export const DEFAULT_LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

/**
 * One request the test server received, updated live while its body is being sent.
 *
 * `status` is 0 until headers are sent (e.g. the client left during `headerDelayMs`).
 * `rangeStart` is the first offset the client asked for in a `Range` header (resolved against
 * the file size for `bytes=-n`), or null without a parsable single range; whether it was
 * honoured shows in `status` (206 or not). `bytesSent` counts file content bytes only.
 */
export interface RequestLog {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  bytesSent: number;
  rangeStart: number | null;
  /** True when the body stopped early: dropped by the server or abandoned by the client. */
  cut: boolean;
  /** When the request arrived, in `Date.now()` milliseconds (for retry-delay assertions). */
  time: number;
  /** Which connection it came on (numbered from 1 in order of arrival). */
  socketId: number;
  /** Connections open when it arrived that carried a request for the same path (this one too). */
  openSocketsForPath: number;
  /**
   * Every connection open when it arrived, whatever it carried, as the kernel holds them
   * (ESTABLISHED, see tcp-table.ts); where the kernel does not say, as the server does (see
   * SocketLog). A client that closes one socket and then opens another sends the FIN (or RST)
   * first, but the server process may accept the new socket before it reads that close (and
   * does not read it at all while writing a response under backpressure).
   */
  openSockets: number;
  /** Responses for the same path being served when it arrived (this one too). */
  inFlightForPath: number;
}

/**
 * One connection the server accepted: what the host sees of a client's politeness.
 *
 * A socket counts as open from its acceptance until the client half-closes it (FIN) or it
 * closes, so a socket the client has already let go of is not counted while its close is on
 * the way.
 */
export interface SocketLog {
  /** Numbered from 1 in order of arrival, as `RequestLog.socketId`. */
  readonly id: number;
  /** `performance.now()` when accepted. */
  readonly openedAt: number;
  /** `performance.now()` when the client ended it or it closed; null while open. */
  closedAt: number | null;
  /** Sockets open when this one was accepted, itself included. */
  readonly openWhenAccepted: number;
}

/** Status codes `redirect` accepts. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/**
 * A running fault-injecting file server on 127.0.0.1.
 *
 * Routes are matched on the request's path without its query string, so `?n=1` can be used
 * to defeat caches without registering another file.
 */
export interface TestServer {
  /** Scheme, host and port, e.g. `http://127.0.0.1:54321`. */
  readonly origin: string;
  /** Absolute URL of `path` on this server (a missing leading `/` is added). */
  url(path: string): string;
  /** Add or replace the file at `path`; replacing restarts its request counters. */
  setFile(path: string, file: TestFile): void;
  /**
   * The next `count` requests for the file at `path` that carry a Range header are answered
   * `status` (with `Retry-After: 1`), as a host that wants fewer connections does (429/503).
   */
  failRanged(path: string, count: number, status: number): void;
  /**
   * Answer `path` with a redirect to `to`, sent verbatim as `Location` (default status 302).
   *
   * Pass a path for a relative redirect or `url(...)` for an absolute one; chains and loops
   * are built by redirecting to other redirects.
   */
  redirect(path: string, to: string, status?: RedirectStatus): void;
  /** Remove the file or redirect at `path`, so it answers 404. */
  remove(path: string): void;
  /** Every request since start or the last `reset`, in arrival order. */
  readonly requests: readonly RequestLog[];
  /** Every connection since start or the last `reset`, in arrival order. */
  readonly sockets: readonly SocketLog[];
  /**
   * File content bytes handed to sockets, for `path` (query ignored) or for all paths.
   *
   * Counted as they are written, so when a client vanishes mid-body this exceeds what it
   * received by what the kernel had buffered (a few MiB on loopback unless throttled).
   */
  bytesSent(path?: string): number;
  /** Clear the request log and every file's request counters. */
  reset(): void;
  /** Stop listening and destroy every open connection; safe to call twice. */
  close(): Promise<void>;
}

interface FileRoute {
  readonly kind: 'file';
  readonly file: TestFile;
  readonly etag: string | undefined;
  requests: number;
  /** Responses each counted body fault has hit (see http-faults.ts). */
  faults: FaultCounts;
  /** The next `count` ranged requests get `status` (see TestServer.failRanged). */
  failRanged?: { count: number; readonly status: number };
}

interface RedirectRoute {
  readonly kind: 'redirect';
  readonly to: string;
  readonly status: RedirectStatus;
}

type Route = FileRoute | RedirectRoute;

/** A single satisfiable byte range, `end` inclusive as in Content-Range. */
interface ByteRange {
  readonly start: number;
  readonly end: number;
}

type RangeRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'range'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable'; readonly start: number };

/** Path part of a request target, without query or fragment. */
function pathOf(target: string): string {
  const cut = target.search(/[?#]/);
  return cut === -1 ? target : target.slice(0, cut);
}

/** Parse a single-range `Range` header; anything else is ignored as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): RangeRequest {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return { kind: 'none' };
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return { kind: 'none' };
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable', start: size };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable', start };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'range', range: { start, end } };
}

/** RFC 9110 If-Range: a strong ETag must match exactly, a date must equal Last-Modified. */
function ifRangeMatches(value: string, etag: string | undefined, lastModified: string | undefined) {
  const candidate = value.trim();
  if (candidate.startsWith('"') || candidate.startsWith('W/')) {
    return etag !== undefined && !etag.startsWith('W/') && candidate === etag;
  }
  return lastModified !== undefined && candidate === lastModified;
}

/** Answer with a short text body naming the status (no body for HEAD, 204 and 304). */
function sendShort(
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLog,
  status: number,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = `${status} ${STATUS_CODES[status] ?? 'Status'}\n`;
  const hasBody = req.method !== 'HEAD' && status !== 204 && status !== 304;
  entry.status = status;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    ...(hasBody ? { 'Content-Length': Buffer.byteLength(text) } : {}),
  });
  res.end(hasBody ? text : undefined);
}

/** Serve one request for a file route, applying the file's faults in a fixed order. */
async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLog,
  route: FileRoute,
  signal: AbortSignal,
): Promise<void> {
  const { file } = route;
  route.requests += 1;
  const ordinal = route.requests;
  if (file.headerDelayMs !== undefined && file.headerDelayMs > 0) {
    await sleep(file.headerDelayMs, signal);
    if (signal.aborted) {
      entry.cut = true;
      return;
    }
  }
  if (file.status !== undefined) {
    sendShort(req, res, entry, file.status);
    return;
  }
  if (file.failFirst && ordinal <= file.failFirst.count) {
    const { retryAfter } = file.failFirst;
    sendShort(
      req,
      res,
      entry,
      file.failFirst.status,
      retryAfter ? { 'Retry-After': retryAfter } : {},
    );
    return;
  }
  if (route.failRanged !== undefined && route.failRanged.count > 0 && req.headers.range) {
    route.failRanged.count -= 1;
    sendShort(req, res, entry, route.failRanged.status, { 'Retry-After': '1' });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendShort(req, res, entry, 405, { Allow: 'GET, HEAD' });
    return;
  }
  if (req.method === 'HEAD' && file.refuseHead === true) {
    sendShort(req, res, entry, 405, { Allow: 'GET' });
    return;
  }

  const size = testFileSize(file);
  const etag = route.etag;
  const lastModified =
    file.lastModified === false ? undefined : (file.lastModified ?? DEFAULT_LAST_MODIFIED);
  const rangesOn = file.ranges !== false;
  const rangeHeader = req.headers.range;
  let request = parseRange(rangeHeader, size);
  entry.rangeStart =
    request.kind === 'range'
      ? request.range.start
      : request.kind === 'unsatisfiable'
        ? request.start
        : null;
  const ifRangeHeader = req.headers['if-range'];
  const ifRange = Array.isArray(ifRangeHeader) ? ifRangeHeader.join(', ') : ifRangeHeader;
  if (!rangesOn || (ifRange !== undefined && !ifRangeMatches(ifRange, etag, lastModified))) {
    request = { kind: 'none' };
  }

  const headers: OutgoingHttpHeaders = { 'Content-Type': 'application/octet-stream' };
  if (etag !== undefined) headers.ETag = etag;
  if (lastModified !== undefined) headers['Last-Modified'] = lastModified;
  if (rangesOn) headers['Accept-Ranges'] = 'bytes';
  if (file.contentDisposition !== undefined) {
    headers['Content-Disposition'] = file.contentDisposition;
  }
  if (request.kind === 'unsatisfiable') {
    sendShort(req, res, entry, 416, { ...headers, 'Content-Range': `bytes */${size}` });
    return;
  }

  const range = request.kind === 'range' ? request.range : { start: 0, end: size - 1 };
  const status = request.kind === 'range' ? 206 : 200;
  if (status === 206) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  const length = range.end - range.start + 1;
  if (file.lieLength !== undefined) {
    headers['Content-Length'] = file.lieLength;
    // Keep-alive would make the client wait forever for missing bytes or misread extra ones
    // (which `lieThenStall` asks for).
    if (file.lieThenStall !== true) headers.Connection = 'close';
  } else if (file.sendLength !== false) {
    headers['Content-Length'] = length;
  }
  entry.status = status;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }

  const faults = bodyFaults(file, route.faults, length, request.kind === 'range');
  await sendBody(res, entry, file, range.start, range.end + 1, faults, signal);
}

/**
 * Start a fault-injecting file server on 127.0.0.1 at a random port.
 *
 * Unknown paths answer 404, methods other than GET and HEAD 405. Failures inside a handler
 * never crash the process: the response is answered 500 or its connection destroyed.
 */
export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const sockets = new Set<Socket>();
  const socketIds = new Map<Socket, number>();
  const socketPaths = new Map<Socket, Set<string>>();
  let nextSocketId = 1;
  let log: RequestLog[] = [];
  let socketLog: SocketLog[] = [];
  let listeningPort = 0;
  const openSockets = new Set<SocketLog>();
  const inFlight = new Map<string, number>();

  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    const paths = socketPaths.get(req.socket) ?? new Set<string>();
    paths.add(pathOf(target));
    socketPaths.set(req.socket, paths);
    let openSocketsForPath = 0;
    for (const socket of sockets) {
      if (!socket.destroyed && socketPaths.get(socket)?.has(pathOf(target)) === true) {
        openSocketsForPath++;
      }
    }
    const path = pathOf(target);
    const inFlightForPath = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, inFlightForPath);
    const entry: RequestLog = {
      method: req.method ?? 'GET',
      path: target,
      headers: { ...req.headers },
      status: 0,
      bytesSent: 0,
      rangeStart: null,
      cut: false,
      time: Date.now(),
      socketId: socketIds.get(req.socket) ?? 0,
      openSocketsForPath,
      openSockets: establishedTo(listeningPort) ?? openSockets.size,
      inFlightForPath,
    };
    log.push(entry);
    const closed = new AbortController();
    res.once('close', () => {
      inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
      closed.abort();
    });
    // A client reset surfaces as an error on these streams; the abort signal handles it.
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    const route = routes.get(pathOf(target));
    const handle = async (): Promise<void> => {
      if (route === undefined) sendShort(req, res, entry, 404);
      else if (route.kind === 'redirect') {
        sendShort(req, res, entry, route.status, { Location: route.to });
      } else await serveFile(req, res, entry, route, closed.signal);
    };
    handle().catch((error: unknown) => {
      console.error('test server handler failed:', error);
      if (res.headersSent) res.destroy();
      else sendShort(req, res, entry, 500);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    const id = nextSocketId++;
    socketIds.set(socket, id);
    const entry: SocketLog = {
      id,
      openedAt: performance.now(),
      closedAt: null,
      openWhenAccepted: openSockets.size + 1,
    };
    openSockets.add(entry);
    socketLog.push(entry);
    const ended = (): void => {
      entry.closedAt ??= performance.now();
      openSockets.delete(entry);
    };
    socket.once('end', ended);
    socket.once('close', () => {
      ended();
      sockets.delete(socket);
      socketIds.delete(socket);
      socketPaths.delete(socket);
    });
  });
  const port = await listenOnLoopback(server);
  listeningPort = port;
  const origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;

  return {
    origin,
    url: (path) => `${origin}${path.startsWith('/') ? '' : '/'}${path}`,
    setFile(path, file) {
      testFileSize(file);
      const etag = file.etag === false ? undefined : (file.etag ?? contentEtag(file.body));
      routes.set(path, { kind: 'file', file, etag, requests: 0, faults: noFaultsYet() });
    },
    failRanged(path, count, status) {
      const route = routes.get(path);
      if (route?.kind !== 'file') throw new Error(`No file at ${path}`);
      route.failRanged = { count, status };
    },
    redirect(path, to, status = 302) {
      routes.set(path, { kind: 'redirect', to, status });
    },
    remove(path) {
      routes.delete(path);
    },
    get requests() {
      return log;
    },
    get sockets() {
      return socketLog;
    },
    bytesSent(path) {
      return log
        .filter((entry) => path === undefined || pathOf(entry.path) === pathOf(path))
        .reduce((total, entry) => total + entry.bytesSent, 0);
    },
    reset() {
      log = [];
      socketLog = [];
      for (const route of routes.values()) {
        if (route.kind === 'file') {
          route.requests = 0;
          route.faults = noFaultsYet();
        }
      }
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
