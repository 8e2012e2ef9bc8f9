// Upload and upload-reply jobs (IBackgroundCopyJob2) in the engine, against Ferry's upload
// server on 127.0.0.1: the job model's rules for them (one file, a readable source, Complete
// only in TRANSFERRED), uploads of several sizes byte-identical on the server, the reply of an
// upload-reply job at its reply file name, a server restart that loses the session, a refused
// Create-Session, and Cancel telling the server.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FerryErrorCode } from '../../app/index.js';
import { hasErrorCode } from '../../app/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { startTestUploadServer } from '../support/upload-server.js';
import type { TestUploadServer } from '../support/upload-server.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Small fragments, so a few MiB cross many fragment boundaries. */
const FRAGMENT = 64 * KiB;

let dir: TempDir;
let engine: Engine;
let server: TestUploadServer;
let serverDir: string;
let n = 0;

before(async () => {
  dir = makeTempDir('ferry-upload-jobs-');
  serverDir = join(dir.path, 'server');
  server = await startTestUploadServer(serverDir, { replies: true });
  engine = startEngine(dir, { uploadFragmentSize: FRAGMENT });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

afterEach(() => {
  server.setFaults({ replies: true });
});

/** A file of `size` random bytes to upload. */
function source(size: number): { path: string; bytes: Buffer } {
  n += 1;
  const bytes = randomBytes(size);
  const path = dir.file(`up-${String(n)}.bin`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

async function rejectsWith(promise: Promise<unknown>, code: FerryErrorCode): Promise<string> {
  let message = '';
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(hasErrorCode(e, code), `expected ${code}, got ${String(e)}`);
    message = (e as Error).message;
    return true;
  });
  return message;
}

/** An upload job with its one file, not resumed. */
async function uploadJob(
  name: string,
  path: string,
  type: 'UPLOAD' | 'UPLOAD_REPLY' = 'UPLOAD',
): Promise<Job> {
  const job = engine.createJob({ displayName: name, type, priority: 'FOREGROUND' });
  await job.addFile(server.url(`jobs/${name}`), path);
  return job;
}

describe('upload jobs', () => {
  for (const size of [0, 1, FRAGMENT, 3 * MiB + 333]) {
    it(`uploads ${String(size)} bytes byte-identical, TRANSFERRED then ACKNOWLEDGED`, async () => {
      const { path, bytes } = source(size);
      const job = await uploadJob(`size-${String(size)}.bin`, path);
      assert.equal(job.getType(), 'UPLOAD');
      assert.deepEqual(job.getProgress(), {
        bytesTotal: size,
        bytesTransferred: 0,
        filesTotal: 1,
        filesTransferred: 0,
      });
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      const stored = join(serverDir, 'jobs', `size-${String(size)}.bin`);
      assert.ok(readFileSync(stored).equals(bytes), 'the server holds the same bytes');
      assert.deepEqual(job.getProgress(), {
        bytesTotal: size,
        bytesTransferred: size,
        filesTotal: 1,
        filesTransferred: 1,
      });
      // Close-Session went before TRANSFERRED: the server holds nothing of the session.
      assert.deepEqual(readdirSync(join(serverDir, '.ferry-upload')), []);
      const result = await job.complete();
      assert.deepEqual(result, { partial: false, unableToDeleteFiles: false });
      assert.equal(job.getState(), 'ACKNOWLEDGED');
      assert.equal(job.enumFiles()[0]?.progress.completed, true);
      assert.ok(readFileSync(path).equals(bytes), 'the source file is left as it was');
    });
  }

  it('holds one file: a second AddFile, or AddFileSet of two, is INPUT_TOO_MANY_FILES', async () => {
    const { path } = source(10);
    const job = await uploadJob('one.bin', path);
    const before = job.info();
    const message = await rejectsWith(
      job.addFile(server.url('two.bin'), source(10).path),
      'INPUT_TOO_MANY_FILES',
    );
    assert.match(message, /exactly one file/);
    assert.deepEqual(job.info(), before);
    const other = engine.createJob({ displayName: 'set', type: 'UPLOAD' });
    await rejectsWith(
      other.addFileSet([
        { remoteUrl: server.url('a'), localName: source(1).path },
        { remoteUrl: server.url('b'), localName: source(1).path },
      ]),
      'INPUT_TOO_MANY_FILES',
    );
    assert.equal(other.enumFiles().length, 0);
  });

  it('refuses a source that cannot be read, a file: URL, and DO upload jobs', async () => {
    const job = engine.createJob({ displayName: 'bad', type: 'UPLOAD' });
    const missing = await rejectsWith(
      job.addFile(server.url('x'), dir.file('no-such-file')),
      'INPUT_SOURCE_NOT_READABLE',
    );
    assert.match(missing, /no-such-file.*no such file/);
    await rejectsWith(job.addFile(server.url('x'), dir.path), 'INPUT_SOURCE_NOT_READABLE');
    await rejectsWith(
      job.addFile('file:///nonexistent-folder/x.bin', source(1).path),
      'INPUT_UNSUPPORTED_SCHEME',
    );
    assert.equal(job.enumFiles().length, 0);
    assert.throws(
      () => engine.createJob({ displayName: 'do', type: 'UPLOAD', flavour: 'DO' }),
      (e: unknown) => hasErrorCode(e, 'INPUT_UNSUPPORTED_FOR_FLAVOUR'),
    );
  });

  it('Complete is allowed only in TRANSFERRED', async () => {
    const job = await uploadJob('early.bin', source(5).path);
    await rejectsWith(job.complete(), 'JOB_INVALID_STATE');
    assert.equal(job.getState(), 'SUSPENDED');
    await job.cancel();
  });

  it('a refused Create-Session puts the job in ERROR with a clear message', async () => {
    server.setFaults({ refuseCreateSession: 403, replies: true });
    const job = await uploadJob('refused.bin', source(100).path);
    await job.resume();
    await waitForState(job, 'ERROR');
    const error = job.getError();
    assert.ok(error !== null);
    assert.equal(error.code, 'HTTP_ACCESS_DENIED');
    assert.equal(error.context, 'REMOTE_APPLICATION');
    assert.equal(error.httpStatus, 403);
    assert.match(error.message, /^Create-Session refused: HTTP 403 Forbidden for http:/);
    assert.equal(error.fileIndex, 0);
  });

  it('a server asking for a login: ERROR without credentials, TRANSFERRED with them', async () => {
    const guarded = await startTestUploadServer(join(dir.path, 'guarded'), {
      basicAuth: { user: 'ann', password: 'pw' },
    });
    try {
      const { path, bytes } = source(2 * FRAGMENT + 1);
      const job = engine.createJob({ displayName: 'login', type: 'UPLOAD' });
      await job.addFile(guarded.url('in.bin'), path);
      await job.resume();
      await waitForState(job, 'ERROR');
      assert.equal(job.getError()?.code, 'HTTP_ACCESS_DENIED');
      assert.equal(job.getError()?.httpStatus, 401);
      await job.setCredentials({
        target: 'SERVER',
        scheme: 'BASIC',
        userName: 'ann',
        password: 'pw',
      });
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      assert.ok(readFileSync(join(dir.path, 'guarded', 'in.bin')).equals(bytes));
    } finally {
      await guarded.close();
    }
  });

  it('a file changed after AddFile puts the job in ERROR (BG_E_LOCAL_FILE_CHANGED)', async () => {
    const { path } = source(1000);
    const job = await uploadJob('changed.bin', path);
    writeFileSync(path, randomBytes(1001));
    await job.resume();
    await waitForState(job, 'ERROR');
    assert.equal(job.getError()?.code, 'FILE_SOURCE_CHANGED');
    assert.equal(job.getError()?.context, 'LOCAL_FILE');
  });

  it('a server restart loses the session: the retry starts over in a new session', async () => {
    const size = 10 * FRAGMENT + 7;
    server.setFaults({ cutAtOffset: 4 * FRAGMENT + 100, replies: true });
    const { path, bytes } = source(size);
    const job = await uploadJob('restart.bin', path);
    const before = server.bytesReceived();
    // Held in TRANSIENT_ERROR until the server is back (a long delay), then retried at once.
    await job.setMinimumRetryDelay(3600);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.ok(job.getProgress().bytesTransferred >= 4 * FRAGMENT);
    await server.restart();
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.ok(readFileSync(join(serverDir, 'jobs', 'restart.bin')).equals(bytes));
    // The new session re-sent the whole file: the cut fragment's part, then every byte again.
    const sent = server.bytesReceived() - before;
    assert.ok(sent >= size + 4 * FRAGMENT, `${String(sent)} bytes`);
    assert.ok(sent <= 2 * size, `${String(sent)} bytes`);
  });

  it('SetRemoteName points the upload at another URL: it starts over there', async () => {
    server.setFaults({ cutAtOffset: 2 * FRAGMENT + 1, replies: true });
    const { path, bytes } = source(4 * FRAGMENT);
    const job = await uploadJob('first-name.bin', path);
    await job.setMinimumRetryDelay(3600);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    await rejectsWith(
      job.setRemoteName(0, 'file:///nonexistent/x.bin'),
      'INPUT_UNSUPPORTED_SCHEME',
    );
    await job.setRemoteName(0, server.url('jobs/second-name.bin'));
    assert.equal(job.getProgress().bytesTransferred, 0, 'a new upload');
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.ok(readFileSync(join(serverDir, 'jobs', 'second-name.bin')).equals(bytes));
    assert.equal(existsSync(join(serverDir, 'jobs', 'first-name.bin')), false);
  });

  it('Cancel mid-upload sends Cancel-Session: the server drops the partial upload', async () => {
    const parts = (): string[] =>
      readdirSync(join(serverDir, '.ferry-upload')).filter((f) => f.endsWith('.part'));
    const before = new Set(parts());
    server.setFaults({ cutAtOffset: 2 * FRAGMENT + 1, replies: true });
    const job = await uploadJob('cancel.bin', source(6 * FRAGMENT).path);
    await job.setMinimumRetryDelay(3600);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    const held = parts().filter((f) => !before.has(f));
    assert.equal(held.length, 1, 'the server holds the partial upload');
    const result = await job.cancel();
    assert.equal(job.getState(), 'CANCELLED');
    assert.equal(result.unableToDeleteFiles, false);
    assert.deepEqual(
      parts().filter((f) => held.includes(f)),
      [],
    );
    assert.equal(existsSync(join(serverDir, 'jobs', 'cancel.bin')), false);
  });
});

describe('upload-reply jobs', () => {
  it('downloads the reply to the reply file name on Complete; GetReplyData returns it', async () => {
    const { path, bytes } = source(5 * FRAGMENT + 3);
    const job = await uploadJob('reply.bin', path, 'UPLOAD_REPLY');
    assert.equal(job.getType(), 'UPLOAD_REPLY');
    assert.equal(job.getReply()?.fileName, `${path}.reply`, 'default: beside the file');
    const replyName = dir.file('the-reply.json');
    await job.setReplyFileName(replyName);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    const reply = job.getReply();
    assert.ok(reply !== null);
    assert.equal(reply.fileName, replyName);
    assert.equal(reply.progress.bytesTransferred, reply.progress.bytesTotal);
    assert.equal(existsSync(replyName), false, 'the reply is visible only after Complete');
    const data = JSON.parse((await job.getReplyData()).toString('utf8')) as {
      bytes: number;
      name: string;
    };
    assert.deepEqual(
      { bytes: data.bytes, name: data.name },
      { bytes: bytes.length, name: 'reply.bin' },
    );
    await job.complete();
    assert.equal(job.getState(), 'ACKNOWLEDGED');
    assert.ok(statSync(replyName).size > 0);
    assert.equal(job.getReply()?.completed, true);
    await rejectsWith(job.setReplyFileName(dir.file('late.json')), 'JOB_INVALID_STATE');
  });

  it('a reply the server lost (404) is made again by uploading again, once', async () => {
    server.setFaults({ replies: true, loseReplyOnce: true });
    const size = 3 * FRAGMENT;
    const { path } = source(size);
    const job = await uploadJob('lost-reply.bin', path, 'UPLOAD_REPLY');
    const before = server.bytesReceived();
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.equal(server.bytesReceived() - before, 2 * size, 'the file went twice');
    const data = JSON.parse((await job.getReplyData()).toString('utf8')) as { bytes: number };
    assert.equal(data.bytes, size);
  });

  it('SetReplyFileName and GetReplyData are refused on other job types', async () => {
    const job = await uploadJob('plain.bin', source(3).path);
    assert.match(
      await rejectsWith(job.setReplyFileName(dir.file('r.json')), 'INPUT_WRONG_JOB_TYPE'),
      /^Job 'plain\.bin' is an UPLOAD job: only UPLOAD_REPLY jobs have a reply file$/,
    );
    await rejectsWith(job.getReplyData(), 'INPUT_WRONG_JOB_TYPE');
    assert.equal(job.getReply(), null);
    await job.cancel();
  });

  it('a server without replies gives an empty reply file', async () => {
    const plain = await startTestUploadServer(join(dir.path, 'plain-server'));
    try {
      const { path } = source(100);
      const job = engine.createJob({ displayName: 'no-reply', type: 'UPLOAD_REPLY' });
      await job.addFile(plain.url('x.bin'), path);
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      assert.equal((await job.getReplyData()).length, 0);
      await job.complete();
      await waitFor(() => existsSync(`${path}.reply`), 'the reply file');
      assert.equal(statSync(`${path}.reply`).size, 0);
    } finally {
      await plain.close();
    }
  });
});
