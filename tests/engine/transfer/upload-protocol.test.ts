// The BITS upload protocol end to end: Ferry's client (main/engine/transfer/upload) against
// Ferry's upload server (main/server/upload) on 127.0.0.1, over the engine's connection pool.
// Files of several sizes arrive byte-identical; a cut mid-fragment resumes from the server's
// acknowledged offset; a server restart (sessions lost) starts over in a new session; a
// refused Create-Session and a server that does not speak the protocol are final errors.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { DEFAULT_PROXY_SETTINGS, FerryError } from '../../../app/index.js';
import { createDispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import { uploadFile } from '../../../main/engine/transfer/upload/upload-file.js';
import type {
  UploadCallbacks,
  UploadRequest,
  UploadResult,
  UploadSession,
} from '../../../main/engine/transfer/upload/upload-file.js';
import { cancelSession, closeSession } from '../../../main/engine/transfer/upload/session-end.js';
import { transferAuth } from '../../../main/engine/transfer/auth/authenticator.js';
import { makeTempDir } from '../../support/engine-harness.js';
import type { TempDir } from '../../support/engine-harness.js';
import { listenOnLoopback } from '../../support/loopback-listen.js';
import { startTestUploadServer } from '../../support/upload-server.js';
import type { TestUploadServer } from '../../support/upload-server.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const FRAGMENT = 256 * KiB;

let pool: DispatcherPool;
let dir: TempDir;
let server: TestUploadServer;
let serverDir: string;
let n = 0;

before(() => {
  pool = createDispatcherPool({ connectTimeoutMs: 2000, env: {} });
});
after(async () => {
  await pool.close();
});
afterEach(async () => {
  await server.close();
  dir.cleanup();
});

async function setUp(faults: Parameters<typeof startTestUploadServer>[1] = {}): Promise<void> {
  dir = makeTempDir('ferry-upload-');
  serverDir = join(dir.path, 'server');
  server = await startTestUploadServer(serverDir, faults);
}

/** A source file of `size` random bytes. */
function source(size: number): { path: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  n += 1;
  const path = join(dir.path, `source-${String(n)}.bin`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** What the callbacks reported, in order. */
interface Recorded {
  readonly callbacks: UploadCallbacks;
  session: UploadSession | null;
  acked: number;
  readonly sessions: (UploadSession | null)[];
  readonly acks: number[];
}

function recorder(): Recorded {
  const rec: Recorded = {
    session: null,
    acked: 0,
    sessions: [],
    acks: [],
    callbacks: {
      onConnected: () => undefined,
      onSession: (session) => {
        rec.session = session;
        rec.sessions.push(session);
      },
      onProgress: () => undefined,
      onAcked: (offset) => {
        rec.acked = offset;
        rec.acks.push(offset);
      },
    },
  };
  return rec;
}

function request(
  remoteUrl: string,
  path: string,
  rec: Recorded,
  extra: Partial<UploadRequest> = {},
): UploadRequest {
  const st = statSync(path);
  return {
    remoteUrl,
    sourcePath: path,
    snapshot: { size: st.size, mtimeMs: st.mtimeMs },
    session: rec.session,
    acked: rec.acked,
    fragmentSize: FRAGMENT,
    connectionFor: (url) => pool.connectionFor(url, DEFAULT_PROXY_SETTINGS),
    headers: [],
    userAgent: 'Ferry-test/1.0',
    limits: {
      maxRedirects: 5,
      connectTimeoutMs: 2000,
      headersTimeoutMs: 3000,
      bodyIdleTimeoutMs: 3000,
    },
    signal: new AbortController().signal,
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<FerryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FerryError, `expected a FerryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('BITS upload: client against the upload server', () => {
  for (const size of [0, 1, FRAGMENT, FRAGMENT + 1, 3 * MiB + 12_345]) {
    it(`stores a ${String(size)}-byte file byte-identical, in ceil(size / fragment) fragments`, async () => {
      await setUp();
      const { path, bytes } = source(size);
      const rec = recorder();
      const result = await uploadFile(
        request(server.url(`in/f${String(size)}.bin`), path, rec),
        rec.callbacks,
      );
      const stored = join(serverDir, 'in', `f${String(size)}.bin`);
      assert.ok(readFileSync(stored).equals(bytes), 'stored bytes differ from the source');
      assert.equal(rec.acked, size);
      assert.equal(server.bytesReceived(), size, 'no byte was sent twice');
      assert.equal(server.fragments(), Math.max(1, Math.ceil(size / FRAGMENT)));
      assert.equal(result.replyUrl, null, 'no reply without replies enabled');
      await closeSession(request(server.url('x'), path, rec), result.session);
      // Close-Session freed the session: the work folder holds nothing of it.
      assert.deepEqual(readdirSync(join(serverDir, '.ferry-upload')), []);
    });
  }

  it('resumes after a connection cut mid-fragment from the offset the server acknowledged', async () => {
    const size = 2 * MiB + 100;
    const cut = MiB + FRAGMENT / 2;
    await setUp({ cutAtOffset: cut });
    const { path, bytes } = source(size);
    const rec = recorder();
    const url = server.url('resume.bin');
    const error = await rejection(uploadFile(request(url, path, rec), rec.callbacks));
    assert.ok(
      ['NET_CONNECTION_RESET', 'HTTP_LENGTH_MISMATCH', 'NET_FAILURE'].includes(error.code),
      `a cut is a transient network error, got ${error.code}: ${error.message}`,
    );
    assert.ok(rec.session !== null, 'the session is kept for the resume');
    assert.equal(rec.acked, MiB, 'the last acknowledged fragment ends at 1 MiB');
    assert.equal(
      existsSync(join(serverDir, 'resume.bin')),
      false,
      'nothing visible before the end',
    );
    // The client's record lags the server by the cut fragment's first half; the resume probes.
    await uploadFile(request(url, path, rec), rec.callbacks);
    assert.ok(readFileSync(join(serverDir, 'resume.bin')).equals(bytes));
    assert.equal(rec.sessions.length, 1, 'the same session carried on');
    // The probe costs one byte: every other byte crossed the network once.
    assert.equal(server.bytesReceived(), size + 1);
  });

  it('a server restart loses the session: the client starts over in a new one', async () => {
    const size = MiB;
    await setUp({ cutAtOffset: 3 * FRAGMENT + 10 });
    const { path, bytes } = source(size);
    const rec = recorder();
    const url = server.url('restart.bin');
    await rejection(uploadFile(request(url, path, rec), rec.callbacks));
    const lost = rec.session;
    assert.ok(lost !== null);
    await server.restart();
    await uploadFile(request(url, path, rec), rec.callbacks);
    assert.ok(readFileSync(join(serverDir, 'restart.bin')).equals(bytes));
    assert.deepEqual(
      rec.sessions.map((s) => (s === null ? null : s.id === lost.id ? 'old' : 'new')),
      ['old', null, 'new'],
    );
    assert.ok(rec.acks.includes(0), 'the record went back to 0 for the new session');
  });

  it('a refused Create-Session is a final error naming the packet and the status', async () => {
    await setUp({ refuseCreateSession: 403 });
    const { path } = source(10);
    const rec = recorder();
    const error = await rejection(
      uploadFile(request(server.url('no.bin'), path, rec), rec.callbacks),
    );
    assert.equal(error.code, 'HTTP_ACCESS_DENIED');
    assert.equal(error.httpStatus, 403);
    assert.equal(error.context, 'REMOTE_APPLICATION');
    assert.match(error.message, /Create-Session refused: HTTP 403 Forbidden .*0x80070005/);
    assert.equal(rec.session, null);
  });

  it('a plain web server that does not know BITS_POST is HTTP_PROTOCOL_MISMATCH', async () => {
    await setUp();
    const plain = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    const port = await listenOnLoopback(plain);
    try {
      const { path } = source(10);
      const rec = recorder();
      const error = await rejection(
        uploadFile(request(`http://127.0.0.1:${String(port)}/up.bin`, path, rec), rec.callbacks),
      );
      assert.equal(error.code, 'HTTP_PROTOCOL_MISMATCH');
      assert.match(error.message, /does not speak the BITS upload protocol/);
    } finally {
      await new Promise<void>((done) => {
        plain.close(() => {
          done();
        });
      });
    }
  });

  it('a server asking for credentials: the job’s answer them, none is a clear final error', async () => {
    await setUp({ basicAuth: { user: 'ann', password: 's3cret' } });
    const { path, bytes } = source(FRAGMENT + 10);
    const rec = recorder();
    const error = await rejection(
      uploadFile(request(server.url('auth.bin'), path, rec), rec.callbacks),
    );
    assert.equal(error.code, 'HTTP_ACCESS_DENIED');
    assert.equal(error.httpStatus, 401);
    assert.match(error.message, /credentials/i);
    const auth = transferAuth([
      { target: 'SERVER', scheme: 'BASIC', userName: 'ann', password: 's3cret' },
    ]);
    await uploadFile(request(server.url('auth.bin'), path, rec, { auth }), rec.callbacks);
    assert.ok(readFileSync(join(serverDir, 'auth.bin')).equals(bytes));
    const wrong = transferAuth([
      { target: 'SERVER', scheme: 'BASIC', userName: 'ann', password: 'nope' },
    ]);
    const fresh = recorder();
    const rejected = await rejection(
      uploadFile(request(server.url('auth2.bin'), path, fresh, { auth: wrong }), fresh.callbacks),
    );
    assert.equal(rejected.code, 'HTTP_ACCESS_DENIED');
    assert.match(rejected.message, /reject/i);
  });

  it('a file changed since AddFile is FILE_SOURCE_CHANGED, before any packet', async () => {
    await setUp();
    const { path } = source(100);
    const rec = recorder();
    const req = request(server.url('changed.bin'), path, rec);
    writeFileSync(path, randomBytes(101));
    const error = await rejection(uploadFile(req, rec.callbacks));
    assert.equal(error.code, 'FILE_SOURCE_CHANGED');
    assert.equal(error.context, 'LOCAL_FILE');
    assert.equal(server.fragments(), 0);
  });

  it('upload-reply: the last Ack names a reply, and Cancel-Session deletes an unfinished upload', async () => {
    await setUp({ replies: true });
    const { path, bytes } = source(FRAGMENT + 5);
    const rec = recorder();
    const result: UploadResult = await uploadFile(
      request(server.url('r.bin'), path, rec),
      rec.callbacks,
    );
    assert.ok(result.replyUrl !== null);
    const reply = (await (await fetch(result.replyUrl)).json()) as { bytes: number; name: string };
    assert.deepEqual(
      { bytes: reply.bytes, name: reply.name },
      { bytes: bytes.length, name: 'r.bin' },
    );

    server.setFaults({ cutAtOffset: 10 });
    const other = recorder();
    const { path: second } = source(FRAGMENT);
    await rejection(uploadFile(request(server.url('c.bin'), second, other), other.callbacks));
    assert.ok(other.session !== null);
    const parts = readdirSync(join(serverDir, '.ferry-upload')).filter((f) => f.endsWith('.part'));
    assert.equal(parts.length, 1, 'the unfinished upload is held');
    assert.equal(await cancelSession(request(server.url('x'), second, other), other.session), true);
    const left = readdirSync(join(serverDir, '.ferry-upload')).filter((f) => f.endsWith('.part'));
    assert.deepEqual(left, []);
    assert.equal(existsSync(join(serverDir, 'c.bin')), false);
  });
});
