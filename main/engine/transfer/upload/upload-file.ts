import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Throttle } from '../speed/bandwidth.js';
import { sendPacket } from './bits-packet.js';
import type { Ack, PacketContext } from './bits-packet.js';
import {
  BITS_HEADER,
  UPLOAD_PROTOCOL_ID,
  formatFragmentRange,
  isSessionId,
  parseReceivedRange,
} from '../../../../app/upload-protocol.js';
import {
  protocolMismatchError,
  uploadProtocolError,
  uploadSourceChangedError,
  uploadSourceError,
} from './upload-errors.js';

/** A session on the upload server, as the job records it. */
export interface UploadSession {
  readonly id: string;
  /** Where the session's packets go: the remote name, or the host the server named (BITS-Host-Id). */
  readonly url: string;
}

/** The file to upload as it was when it was added to the job. */
export interface SourceSnapshot {
  readonly size: number;
  readonly mtimeMs: number;
}

/** One file to send to an upload server. */
export interface UploadRequest extends PacketContext {
  /** The upload URL (the job's remote name). */
  readonly remoteUrl: string;
  /** The local file to send. */
  readonly sourcePath: string;
  /** What the file was at AddFile: a different size or time is BG_E_LOCAL_FILE_CHANGED. */
  readonly snapshot: SourceSnapshot;
  /** The recorded session, null when none was created yet (or it was lost). */
  readonly session: UploadSession | null;
  /** Bytes the server acknowledged, as recorded. */
  readonly acked: number;
  /** Most bytes per Fragment packet. */
  readonly fragmentSize: number;
  readonly throttle?: Throttle;
}

/**
 * What the upload tells the job as it goes; all synchronous, each recorded before the next
 * packet goes out, so a crash resumes the session the server knows.
 */
export interface UploadCallbacks {
  /** The server answered (the first Ack of this call): the connection works. */
  onConnected(): void;
  /** A session was created (or the recorded one was lost: null). */
  onSession(session: UploadSession | null): void;
  /** Bytes of the file handed to the connection so far (live progress, not acknowledged). */
  onProgress(bytesSent: number): void;
  /** The server acknowledged [0, offset): the resume point. */
  onAcked(offset: number): void;
}

/** A finished upload: the server holds the whole file. */
export interface UploadResult {
  readonly session: UploadSession;
  /** The reply's URL for upload-reply jobs (BITS-Reply-URL of the last Ack), absolute. */
  readonly replyUrl: string | null;
}

/** Bytes read from the file per read. */
const READ_SIZE = 256 * 1024;
/** Acks that move nothing forward in a row before the server is judged broken. */
const MAX_STALLED_ACKS = 3;

/**
 * Sends one file with the BITS upload protocol, resuming where the server is.
 *
 * With no session it sends Ping, then Create-Session offering the BITS 1.5 protocol. Fragments
 * go in order from the server's acknowledged offset, each at most `fragmentSize` bytes, the
 * first (offset 0) naming the file (Content-Name). A recorded session (a resume, after a crash
 * or a transient error) is probed first with a one-byte fragment at the recorded offset: the
 * server keeps only bytes it does not have (the protocol's overlap rule) and its Ack says where
 * it really is, so bytes it already holds are not sent again, and bytes it lost (a 416 when
 * the record is ahead) are. A session the server no longer knows (it restarted) is dropped
 * and the upload starts over in a new one, once per call.
 */
export async function uploadFile(req: UploadRequest, cb: UploadCallbacks): Promise<UploadResult> {
  req.signal.throwIfAborted();
  let file: FileHandle;
  try {
    file = await open(req.sourcePath, 'r');
  } catch (error) {
    throw uploadSourceError(error, req.sourcePath);
  }
  try {
    await checkSnapshot(file, req);
    let session = req.session;
    let acked = req.acked;
    let connected = false;
    const answered = (): void => {
      if (connected) return;
      connected = true;
      cb.onConnected();
    };
    for (let attempt = 0; ; attempt++) {
      const probe = session !== null;
      if (session === null) {
        session = await createSession(req, answered);
        cb.onSession(session);
        if (acked !== 0) cb.onAcked(0);
        acked = 0;
      }
      const result = await sendFragments(req, cb, file, session, acked, probe, answered);
      if (result.kind === 'done') return { session, replyUrl: result.replyUrl };
      // The server no longer knows the session: forget it, then start over in a new one.
      if (attempt > 0) {
        throw uploadProtocolError(new URL(session.url), 'a new session was lost at once');
      }
      session = null;
      cb.onSession(null);
    }
  } finally {
    await file.close();
  }
}

async function checkSnapshot(file: FileHandle, req: UploadRequest): Promise<void> {
  let size: number;
  let mtimeMs: number;
  try {
    ({ size, mtimeMs } = await file.stat());
  } catch (error) {
    throw uploadSourceError(error, req.sourcePath);
  }
  if (size !== req.snapshot.size) {
    throw uploadSourceChangedError(
      req.sourcePath,
      `${String(req.snapshot.size)} bytes then, ${String(size)} now`,
    );
  }
  if (Math.trunc(mtimeMs) !== Math.trunc(req.snapshot.mtimeMs)) {
    throw uploadSourceChangedError(req.sourcePath, 'modified since');
  }
}

/** Ping (opens the connection), then Create-Session; returns the new session. */
async function createSession(req: UploadRequest, answered: () => void): Promise<UploadSession> {
  const url = new URL(req.remoteUrl);
  const ping = await sendPacket(req, { url, type: 'Ping', headers: [] });
  if (ping.kind === 'lost') throw uploadProtocolError(url, 'Ping answered "session not found"');
  answered();
  const created = await sendPacket(req, {
    url,
    type: 'Create-Session',
    headers: [BITS_HEADER.supportedProtocols, UPLOAD_PROTOCOL_ID],
  });
  if (created.kind === 'lost') {
    throw uploadProtocolError(url, 'Create-Session answered "session not found"');
  }
  const { ack } = created;
  const protocol = ack.header(BITS_HEADER.protocol);
  if (protocol?.toLowerCase() !== UPLOAD_PROTOCOL_ID) {
    throw protocolMismatchError(
      url,
      protocol === undefined ? 'no BITS-Protocol in its Ack' : `it chose protocol ${protocol}`,
      ack.status,
    );
  }
  const id = ack.header(BITS_HEADER.sessionId);
  if (id === undefined || !isSessionId(id)) {
    throw uploadProtocolError(url, 'Create-Session gave no usable BITS-Session-Id');
  }
  return { id, url: sessionUrl(url, ack.header(BITS_HEADER.hostId)).href };
}

/** BITS-Host-Id names the server of a farm that holds the session: later packets go there. */
function sessionUrl(url: URL, hostId: string | undefined): URL {
  if (hostId === undefined || hostId === '') return url;
  const moved = new URL(url.href);
  try {
    moved.host = hostId;
  } catch {
    return url;
  }
  return moved.host === '' ? url : moved;
}

type FragmentsOutcome =
  { readonly kind: 'done'; readonly replyUrl: string | null } | { readonly kind: 'lost' };

async function sendFragments(
  req: UploadRequest,
  cb: UploadCallbacks,
  file: FileHandle,
  session: UploadSession,
  from: number,
  probeFirst: boolean,
  answered: () => void,
): Promise<FragmentsOutcome> {
  const url = new URL(session.url);
  const total = req.snapshot.size;
  const name = basename(req.sourcePath);
  let offset = Math.min(from, total);
  let probe = probeFirst;
  let stalled = 0;
  for (;;) {
    // A probe re-sends the last byte when the record says everything was sent: only the
    // server's Ack can say whether it has it (and it carries the reply URL).
    const start = probe && offset === total && total > 0 ? total - 1 : offset;
    const length = probe ? Math.min(1, total - start) : Math.min(req.fragmentSize, total - start);
    probe = false;
    const range = { start, end: start + length, total };
    const outcome = await sendPacket(req, {
      url,
      type: 'Fragment',
      headers: [
        BITS_HEADER.sessionId,
        session.id,
        BITS_HEADER.contentRange,
        formatFragmentRange(range),
        ...(start === 0 ? [BITS_HEADER.contentName, name] : []),
      ],
      body: () => fragmentBody(file, range, req, cb),
      contentLength: length,
    });
    if (outcome.kind === 'lost') return { kind: 'lost' };
    answered();
    const next = receivedOffset(outcome.ack, url, total);
    if (next !== offset) cb.onAcked(next);
    stalled = next !== offset && (next > offset || outcome.ack.status === 416) ? 0 : stalled + 1;
    if (stalled >= MAX_STALLED_ACKS) {
      throw uploadProtocolError(
        url,
        `the server stays at byte ${String(next)} of ${String(total)}`,
      );
    }
    offset = next;
    cb.onProgress(offset);
    if (offset === total && outcome.ack.status !== 416) {
      return { kind: 'done', replyUrl: replyUrlOf(outcome.ack, url) };
    }
  }
}

function receivedOffset(ack: Ack, url: URL, total: number): number {
  const next = parseReceivedRange(ack.header(BITS_HEADER.receivedContentRange));
  if (next === null) throw uploadProtocolError(url, 'no BITS-Received-Content-Range in an Ack');
  if (next > total) {
    throw uploadProtocolError(
      url,
      `it claims ${String(next)} bytes of a ${String(total)}-byte file`,
    );
  }
  return next;
}

function replyUrlOf(ack: Ack, url: URL): string | null {
  const value = ack.header(BITS_HEADER.replyUrl);
  if (value === undefined || value === '') return null;
  let reply: URL;
  try {
    reply = new URL(value, url);
  } catch {
    throw uploadProtocolError(url, `unusable BITS-Reply-URL '${value}'`);
  }
  if (reply.protocol !== 'http:' && reply.protocol !== 'https:') {
    throw uploadProtocolError(url, `BITS-Reply-URL with scheme ${reply.protocol}`);
  }
  return reply.href;
}

/** The fragment's bytes read from the file, paced by the job's speed limits. */
function fragmentBody(
  file: FileHandle,
  range: { start: number; end: number },
  req: UploadRequest,
  cb: UploadCallbacks,
): Readable {
  async function* read(): AsyncGenerator<Buffer> {
    let at = range.start;
    while (at < range.end) {
      const buffer = Buffer.allocUnsafe(Math.min(READ_SIZE, range.end - at));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
      if (bytesRead === 0) throw uploadSourceChangedError(req.sourcePath, 'it shrank');
      const chunk = buffer.subarray(0, bytesRead);
      if (req.throttle?.limited() === true) {
        const ms = req.throttle.take(chunk.length);
        if (ms > 0) await delay(ms, undefined, { signal: req.signal });
      }
      at += bytesRead;
      yield chunk;
      cb.onProgress(at);
    }
  }
  return Readable.from(read(), { objectMode: false });
}
