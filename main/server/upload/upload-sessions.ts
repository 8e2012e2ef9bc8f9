import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FragmentRange } from '../../../app/upload-protocol.js';

/** Where the server keeps what is not yet a finished upload, inside its directory. */
export const WORK_DIR_NAME = '.ferry-upload';

/** One upload in progress (or finished and not yet closed). */
export interface UploadSessionState {
  readonly id: string;
  /** The finished file's path inside the server's directory. */
  readonly target: string;
  /** Where the bytes go until the last one arrives. */
  readonly tempPath: string;
  /** Bytes held, from 0: the next offset the server expects. */
  received: number;
  /** The file's size, known from the first fragment. */
  total: number | null;
  /** The file is at its final name. */
  committed: boolean;
  /** The reply document's path (upload-reply), once the upload is committed. */
  replyPath: string | null;
  lastUsed: number;
  file: FileHandle | null;
  /** Packets of one session run one after another (the protocol has one outstanding). */
  queue: Promise<void>;
}

/** What a fragment did. */
export type FragmentVerdict =
  { readonly kind: 'ok' } | { readonly kind: 'gap' } | { readonly kind: 'wrong-total' };

/**
 * The server's sessions: in memory (a restart forgets them, and a client then starts over in
 * a new session, as the protocol allows), with their bytes in `<dir>/.ferry-upload/`. A file
 * becomes visible only whole: written to a temporary file, synced, then renamed to its name in
 * one step when its last byte arrives.
 */
export class UploadSessions {
  private readonly sessions = new Map<string, UploadSessionState>();
  private readonly workDir: string;

  constructor(
    private readonly dir: string,
    private readonly replies: boolean,
    private readonly maxIdleMs: number,
  ) {
    this.workDir = join(dir, WORK_DIR_NAME);
  }

  /** Empties the work folder: sessions of an earlier run are gone with it. */
  async open(): Promise<void> {
    await rm(this.workDir, { recursive: true, force: true });
    await mkdir(this.workDir, { recursive: true });
  }

  async create(target: string): Promise<UploadSessionState> {
    await this.expireIdle();
    const id = `{${randomUUID()}}`;
    const key = id.slice(1, -1);
    const tempPath = join(this.workDir, `${key}.part`);
    const file = await open(tempPath, 'wx');
    const session: UploadSessionState = {
      id,
      target,
      tempPath,
      received: 0,
      total: null,
      committed: false,
      replyPath: null,
      lastUsed: Date.now(),
      file,
      queue: Promise.resolve(),
    };
    this.sessions.set(id, session);
    return session;
  }

  get(id: string | undefined): UploadSessionState | undefined {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (session !== undefined) session.lastUsed = Date.now();
    return session;
  }

  /** The reply document of a session, by the key in its URL. */
  replyOf(key: string): UploadSessionState | undefined {
    return this.sessions.get(`{${key}}`);
  }

  /** Runs `fn` after the session's earlier packets. */
  async serial<T>(session: UploadSessionState, fn: () => Promise<T>): Promise<T> {
    const run = session.queue.then(fn);
    session.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Writes a fragment's new bytes: those past what the server has (overlap is skipped, never
   * rewritten). A fragment that starts past the end is a gap. `bytes` yields the body.
   */
  async write(
    session: UploadSessionState,
    range: FragmentRange,
    bytes: AsyncIterable<Buffer>,
  ): Promise<FragmentVerdict> {
    if (session.total !== null && session.total !== range.total) return { kind: 'wrong-total' };
    if (range.start > session.received) return { kind: 'gap' };
    session.total = range.total;
    if (session.committed) {
      await readAway(bytes);
      return { kind: 'ok' };
    }
    let at = range.start;
    for await (const chunk of bytes) {
      const skip = Math.max(0, session.received - at);
      if (skip < chunk.length && session.file !== null) {
        const fresh = chunk.subarray(skip);
        await session.file.write(fresh, 0, fresh.length, at + skip);
        session.received = at + chunk.length;
      }
      at += chunk.length;
    }
    if (session.received === session.total) await this.commit(session);
    return { kind: 'ok' };
  }

  /** Frees a session; an unfinished upload is deleted with it. */
  async close(session: UploadSessionState): Promise<void> {
    this.sessions.delete(session.id);
    await session.file?.close();
    session.file = null;
    await rm(session.tempPath, { force: true });
    if (session.replyPath !== null) await rm(session.replyPath, { force: true });
  }

  /** Frees every session (the server stops). */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map(async (session) => {
        await session.file?.close().catch(() => undefined);
        session.file = null;
      }),
    );
    this.sessions.clear();
  }

  private async commit(session: UploadSessionState): Promise<void> {
    const file = session.file;
    if (file === null) return;
    await file.sync();
    await file.close();
    session.file = null;
    await mkdir(dirname(session.target), { recursive: true });
    await rename(session.tempPath, session.target);
    session.committed = true;
    if (this.replies) session.replyPath = await this.writeReply(session);
  }

  /** The reply a finished upload gets: what the server received, with its SHA-256. */
  private async writeReply(session: UploadSessionState): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(session.target)) hash.update(chunk as Buffer);
    const reply = {
      name: basename(session.target),
      bytes: session.total ?? 0,
      sha256: hash.digest('hex'),
    };
    const path = join(this.workDir, `${session.id.slice(1, -1)}.reply`);
    await writeFile(path, `${JSON.stringify(reply)}\n`);
    return path;
  }

  private async expireIdle(): Promise<void> {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (now - session.lastUsed > this.maxIdleMs) await this.close(session);
    }
  }
}

/** Reads a body to its end, keeping nothing; how many bytes it had. */
export async function readAway(bytes: AsyncIterable<Buffer>): Promise<number> {
  let count = 0;
  for await (const chunk of bytes) count += chunk.length;
  return count;
}
