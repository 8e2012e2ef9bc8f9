import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { join, resolve, sep } from 'node:path';
import {
  BITS_ERROR,
  BITS_ERROR_CONTEXT,
  BITS_HEADER,
  BITS_METHOD,
  UPLOAD_PROTOCOL_ID,
  formatErrorCode,
  isSessionId,
  parseFragmentRange,
} from '../../../app/upload-protocol.js';
import type { FragmentRange } from '../../../app/upload-protocol.js';
import { serveConnection } from './http1-connection.js';
import type { Http1Request, Http1Response } from './http1-connection.js';
import { UploadSessions, WORK_DIR_NAME, readAway } from './upload-sessions.js';
import type { UploadSessionState } from './upload-sessions.js';

/**
 * Hooks for tests: faults the test wrapper injects, and counters it reads. A real server runs
 * without them.
 */
export interface UploadServerHooks {
  /** Before a Create-Session for `path` is granted: an HTTP status to refuse it with instead. */
  refuseCreateSession?(path: string): number | undefined;
  /** Before a fragment's body is read: a byte count after which the connection is cut. */
  cutFragmentAfter?(range: FragmentRange): number | undefined;
  /** Bytes of fragment bodies read off the network (new or not). */
  onFragmentBytes?(bytes: number): void;
  /** Before a reply is served: false answers 404, as a server that lost the session would. */
  serveReply?(): boolean;
}

/** How to run an upload server. */
export interface UploadServerOptions {
  /** Finished uploads are stored here, at their URL's path. */
  readonly dir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Answer each finished upload with a reply (upload-reply jobs): its size and SHA-256. */
  readonly replies?: boolean;
  /** Sessions idle this long are dropped with their bytes (default 24 h). */
  readonly maxIdleMs?: number;
  /** Ask every request for this user name and password (HTTP Basic, RFC 7617). */
  readonly basicAuth?: { readonly user: string; readonly password: string };
  readonly hooks?: UploadServerHooks;
}

/** A running upload server. */
export interface UploadServer {
  readonly port: number;
  /** `http://host:port/`: an upload's URL is this plus the path it is stored at. */
  readonly url: string;
  /** Stops listening and drops every connection and session. */
  close(): Promise<void>;
}

/** URL path of reply documents (inside the work folder, which uploads may not name). */
const REPLY_PATH = `/${WORK_DIR_NAME}/reply/`;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Ferry's BITS upload server (docs/upload-protocol.md): takes BITS_POST packets (Ping,
 * Create-Session, Fragment, Close-Session, Cancel-Session) and answers each with an Ack. An
 * upload to `http://host:port/a/b.txt` is stored at `<dir>/a/b.txt`, whole or not at all (a
 * temporary file, renamed when the last byte is in). With `replies`, the last fragment's Ack
 * names a reply document (BITS-Reply-URL), served by GET until the session is closed.
 */
export async function startUploadServer(options: UploadServerOptions): Promise<UploadServer> {
  const dir = resolve(options.dir);
  const sessions = new UploadSessions(dir, options.replies ?? false, options.maxIdleMs ?? DAY_MS);
  await sessions.open();
  const hooks = options.hooks ?? {};
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    void serveConnection(socket, async (req) =>
      allowed(req, options.basicAuth) ? handle(req, dir, sessions, hooks) : challenge(),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: `http://${shownHost}:${String(port)}/`,
    close: async () => {
      const closed = new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
      for (const socket of sockets) socket.destroy();
      await closed;
      await sessions.closeAll();
    },
  };
}

async function handle(
  req: Http1Request,
  dir: string,
  sessions: UploadSessions,
  hooks: UploadServerHooks,
): Promise<Http1Response> {
  if (req.method === 'GET') {
    return hooks.serveReply?.() === false ? { status: 404 } : serveReply(req, sessions);
  }
  if (req.method !== BITS_METHOD) {
    return { status: 405, headers: [['Allow', `${BITS_METHOD}, GET`]] };
  }
  const type = req.headers.get(BITS_HEADER.packetType) ?? '';
  switch (type.toLowerCase()) {
    case 'ping':
      return ack(200);
    case 'create-session':
      return createSession(req, dir, sessions, hooks);
    case 'fragment':
      return withSession(req, sessions, (session) => fragment(req, session, sessions, hooks));
    case 'close-session':
    case 'cancel-session':
      // Both free the session. A finished upload stays (it was committed at its last byte);
      // an unfinished one is deleted, as the protocol says of Close-Session before the end.
      return withSession(req, sessions, async (session) => {
        await sessions.close(session);
        return ack(200, [[BITS_HEADER.sessionId, session.id]]);
      });
    default:
      return refuse(400, BITS_ERROR.invalidArgument);
  }
}

async function createSession(
  req: Http1Request,
  dir: string,
  sessions: UploadSessions,
  hooks: UploadServerHooks,
): Promise<Http1Response> {
  const offered = (req.headers.get(BITS_HEADER.supportedProtocols) ?? '')
    .toLowerCase()
    .split(/[\s,]+/);
  if (!offered.includes(UPLOAD_PROTOCOL_ID)) return refuse(400, BITS_ERROR.protocolMismatch);
  const target = targetPath(dir, req.target);
  if (target === null) return refuse(400, BITS_ERROR.invalidArgument);
  const refusal = hooks.refuseCreateSession?.(req.target);
  if (refusal !== undefined) return refuse(refusal, BITS_ERROR.accessDenied);
  const session = await sessions.create(target);
  return ack(200, [
    [BITS_HEADER.protocol, UPLOAD_PROTOCOL_ID],
    [BITS_HEADER.sessionId, session.id],
    ['Accept-Encoding', 'Identity'],
  ]);
}

async function withSession(
  req: Http1Request,
  sessions: UploadSessions,
  fn: (session: UploadSessionState) => Promise<Http1Response>,
): Promise<Http1Response> {
  const id = req.headers.get(BITS_HEADER.sessionId);
  const session = id !== undefined && isSessionId(id) ? sessions.get(id) : undefined;
  if (session === undefined) return refuse(400, BITS_ERROR.sessionNotFound);
  return sessions.serial(session, () => fn(session));
}

async function fragment(
  req: Http1Request,
  session: UploadSessionState,
  sessions: UploadSessions,
  hooks: UploadServerHooks,
): Promise<Http1Response> {
  const range = parseFragmentRange(req.headers.get(BITS_HEADER.contentRange));
  if (range === null || range.end - range.start !== req.contentLength) {
    return refuse(400, BITS_ERROR.invalidArgument);
  }
  const cutAfter = hooks.cutFragmentAfter?.(range);
  let read = 0;
  const body: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of req.body) {
        const allowed =
          cutAfter === undefined ? chunk.length : Math.min(chunk.length, cutAfter - read);
        read += allowed;
        hooks.onFragmentBytes?.(allowed);
        if (allowed > 0) yield chunk.subarray(0, allowed);
        if (allowed < chunk.length || (cutAfter !== undefined && read >= cutAfter)) {
          req.destroy();
          return;
        }
      }
    },
  };
  const verdict = await sessions.write(session, range, body);
  // A refused fragment's bytes still came over the network: read (and count) them too.
  if (verdict.kind !== 'ok') await readAway(body);
  if (verdict.kind === 'wrong-total') return refuse(400, BITS_ERROR.invalidArgument);
  const headers: [string, string][] = [
    [BITS_HEADER.sessionId, session.id],
    [BITS_HEADER.receivedContentRange, String(session.received)],
  ];
  if (verdict.kind === 'gap') {
    return ack(416, [
      ...headers,
      [BITS_HEADER.errorCode, formatErrorCode(BITS_ERROR.invalidRange)],
      [BITS_HEADER.errorContext, `0x${BITS_ERROR_CONTEXT.remoteFile.toString(16)}`],
    ]);
  }
  if (session.committed && session.replyPath !== null) {
    headers.push([BITS_HEADER.replyUrl, `${REPLY_PATH}${session.id.slice(1, -1)}`]);
  }
  return ack(200, headers);
}

/** The reply document of a finished upload (upload-reply jobs fetch it with a plain GET). */
async function serveReply(req: Http1Request, sessions: UploadSessions): Promise<Http1Response> {
  const path = req.target.split('?')[0] ?? '';
  const key = path.startsWith(REPLY_PATH) ? path.slice(REPLY_PATH.length) : '';
  const session = /^[0-9a-f-]{36}$/.test(key) ? sessions.replyOf(key) : undefined;
  if (session?.replyPath === null || session === undefined) return { status: 404 };
  const { size } = await stat(session.replyPath);
  return {
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: { stream: createReadStream(session.replyPath), length: size },
  };
}

/**
 * The file an upload URL names inside `dir`: each path segment decoded, and nothing that
 * could leave `dir` or reach the work folder (empty, `.`, `..` segments, NUL, backslashes).
 */
export function targetPath(dir: string, target: string): string | null {
  const path = target.split('?')[0] ?? '';
  const segments: string[] = [];
  for (const raw of path.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (/[\0\\/]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0 || segments[0] === WORK_DIR_NAME) return null;
  const full = join(dir, ...segments);
  return full.startsWith(dir + sep) ? full : null;
}

/** Whether a request carries the server's Basic credentials (any request, when it has none). */
function allowed(req: Http1Request, basicAuth: UploadServerOptions['basicAuth']): boolean {
  if (basicAuth === undefined) return true;
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${basicAuth.user}:${basicAuth.password}`, 'utf8').toString('base64')}`,
  );
  const given = Buffer.from(req.headers.get('authorization') ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The answer to a request without the right credentials (before BITS is reached, as IIS's). */
function challenge(): Http1Response {
  return {
    status: 401,
    headers: [['WWW-Authenticate', 'Basic realm="Ferry uploads", charset="UTF-8"']],
  };
}

function ack(status: number, headers: [string, string][] = []): Http1Response {
  return {
    status,
    headers: [
      ['BITS-Packet-Type', 'Ack'],
      ...headers.map(([name, value]) => [wire(name), value] as const),
    ],
  };
}

/** A header name as the protocol's pages spell it: `bits-session-id` → `BITS-Session-Id`. */
function wire(name: string): string {
  return name
    .split('-')
    .map((part, i) =>
      i === 0 && part.toLowerCase() === 'bits'
        ? 'BITS'
        : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join('-');
}

/** An error Ack: the status, the HRESULT and where it arose. */
function refuse(status: number, code: number): Http1Response {
  const context =
    code === BITS_ERROR.accessDenied
      ? BITS_ERROR_CONTEXT.remoteApplication
      : BITS_ERROR_CONTEXT.remoteFile;
  return ack(status, [
    [BITS_HEADER.errorCode, formatErrorCode(code)],
    [BITS_HEADER.errorContext, `0x${context.toString(16)}`],
  ]);
}
