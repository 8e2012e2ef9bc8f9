// Resume after Suspend and after a restart fetches only the missing bytes, guarded by the
// validator; a changed or range-less source restarts the file; link refresh (SetRemoteName,
// ReplaceRemotePrefix) keeps bytes when the new URL serves the same content.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, Job } from '../../main/engine/index.js';
import { sha256OfPath, sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

const SIZE = 4 * 1024 * 1024;
const RATE = 2 * 1024 * 1024;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  // These tests pin down resume over one connection; segmented resume has its own suite.
  engine.setSettings({ connectionsPerFile: 1 });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

/** Starts a job on a throttled file and suspends it once some bytes are durable. */
async function suspendedMidway(path: string, file: TestFile): Promise<Job> {
  server.setFile(path, file);
  n++;
  const job = engine.createJob({ displayName: `resume-${n}` });
  await job.addFile(server.url(path), dir.file(`resume-${n}.bin`));
  await job.resume();
  await waitFor(() => (job.enumFiles()[0]?.progress.bytesTransferred ?? 0) > SIZE / 4, 'a quarter');
  await job.suspend();
  return job;
}

async function finish(job: Job): Promise<string> {
  await job.resume();
  await waitForState(job, 'TRANSFERRED', 20_000);
  await job.complete();
  const local = job.enumFiles()[0]?.localName ?? '';
  return sha256OfPath(local);
}

describe('resume', () => {
  it('Suspend then Resume fetches only the rest, with Range and If-Range', async () => {
    const file: TestFile = { body: { size: SIZE, seed: 11 }, throttleBytesPerSec: RATE };
    const job = await suspendedMidway('/resume.bin', file);
    const kept = job.enumFiles()[0]?.progress.bytesTransferred ?? 0;
    assert.ok(kept > 0);
    server.reset();
    const hash = await finish(job);
    assert.equal(hash, sha256OfTestFile(file));
    const [request] = server.requests.filter((r) => r.path === '/resume.bin');
    assert.ok(request !== undefined);
    assert.equal(request.status, 206);
    assert.equal(request.rangeStart, kept);
    assert.ok(request.headers['if-range'] !== undefined, 'If-Range guards the resume');
    assert.equal(server.bytesSent('/resume.bin'), SIZE - kept);
  });

  it('a file that changed while suspended restarts from zero and ends as the new content', async () => {
    const old: TestFile = { body: { size: SIZE, seed: 21 }, throttleBytesPerSec: RATE };
    const job = await suspendedMidway('/changing.bin', old);
    const fresh: TestFile = { body: { size: SIZE, seed: 22 }, throttleBytesPerSec: 8 * RATE };
    server.setFile('/changing.bin', fresh);
    server.reset();
    assert.equal(await finish(job), sha256OfTestFile(fresh));
    assert.equal(server.bytesSent('/changing.bin'), SIZE, 'the whole new file, once');
  });

  it('a server that ignores ranges restarts the file from zero', async () => {
    const file: TestFile = {
      body: { size: SIZE, seed: 31 },
      throttleBytesPerSec: RATE,
      ranges: false,
    };
    const job = await suspendedMidway('/norange.bin', file);
    server.setFile('/norange.bin', { ...file, throttleBytesPerSec: 8 * RATE });
    assert.equal(await finish(job), sha256OfTestFile(file));
  });
});

describe('link refresh', () => {
  it('a 404 goes to ERROR; SetRemoteName to a working URL and Resume recovers it', async () => {
    server.setFile('/expired', { body: Buffer.alloc(0), status: 404 });
    const good: TestFile = { body: { size: 100_000, seed: 41 } };
    server.setFile('/fresh-link.bin', good);
    const job = engine.createJob({ displayName: 'refresh' });
    await job.addFile(server.url('/expired'), dir.file('refresh.bin'));
    await job.resume();
    await waitForState(job, 'ERROR');
    assert.equal(job.getError()?.code, 'HTTP_NOT_FOUND');
    await job.setRemoteName(0, server.url('/fresh-link.bin'));
    assert.equal(job.enumFiles()[0]?.remoteName, server.url('/fresh-link.bin'));
    assert.equal(job.getState(), 'ERROR');
    assert.equal(await finish(job), sha256OfTestFile(good));
  });

  it('a mirror with the same content keeps the bytes (same validator and size)', async () => {
    const file: TestFile = { body: { size: SIZE, seed: 51 }, throttleBytesPerSec: RATE };
    const job = await suspendedMidway('/origin/same.bin', file);
    const kept = job.enumFiles()[0]?.progress.bytesTransferred ?? 0;
    server.setFile('/mirror/same.bin', { ...file, throttleBytesPerSec: 8 * RATE });
    const changed = await job.replaceRemotePrefix(server.url('/origin/'), server.url('/mirror/'));
    assert.equal(changed, 1);
    server.reset();
    assert.equal(await finish(job), sha256OfTestFile(file));
    assert.equal(server.bytesSent('/mirror/same.bin'), SIZE - kept);
  });

  it('a new URL serving other content restarts the file', async () => {
    const file: TestFile = { body: { size: SIZE, seed: 61 }, throttleBytesPerSec: RATE };
    const job = await suspendedMidway('/a/other.bin', file);
    const other: TestFile = { body: { size: SIZE, seed: 62 } };
    server.setFile('/b/other.bin', other);
    await job.setRemoteName(0, server.url('/b/other.bin'));
    server.reset();
    assert.equal(await finish(job), sha256OfTestFile(other));
    assert.equal(server.bytesSent('/b/other.bin'), SIZE);
  });

  it('changing the URL of a running job restarts its request at the new URL', async () => {
    const file: TestFile = { body: { size: SIZE, seed: 71 }, throttleBytesPerSec: RATE };
    server.setFile('/running-old.bin', file);
    server.setFile('/running-new.bin', { ...file, throttleBytesPerSec: 8 * RATE });
    const job = engine.createJob({ displayName: 'running-refresh' });
    await job.addFile(server.url('/running-old.bin'), dir.file('running-refresh.bin'));
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    await job.setRemoteName(0, server.url('/running-new.bin'));
    assert.equal(job.getState(), 'QUEUED');
    await waitForState(job, 'TRANSFERRED', 20_000);
    await job.complete();
    assert.equal(sha256OfPath(dir.file('running-refresh.bin')), sha256OfTestFile(file));
    assert.ok(server.requests.some((r) => r.path === '/running-new.bin'));
  });
});

describe('restart', () => {
  it('a clean restart puts running jobs back in the queue and finishes them', async () => {
    const restartDir = makeTempDir();
    const file: TestFile = { body: { size: SIZE, seed: 81 }, throttleBytesPerSec: RATE };
    server.setFile('/restart.bin', file);
    let first = startEngine(restartDir);
    const job = first.createJob({ displayName: 'restart' });
    const id = job.id;
    await job.addFile(server.url('/restart.bin'), restartDir.file('restart.bin'));
    await job.resume();
    await waitFor(() => job.getProgress().bytesTransferred > SIZE / 4, 'a quarter');
    await first.close();
    const second = startEngine(restartDir);
    first = second;
    try {
      const again = second.getJob(id);
      assert.ok(['QUEUED', 'CONNECTING', 'TRANSFERRING'].includes(again.getState()));
      assert.ok(again.getProgress().bytesTransferred > 0, 'progress survived');
      await waitForState(again, 'TRANSFERRED', 20_000);
      await again.complete();
      assert.equal(sha256OfPath(restartDir.file('restart.bin')), sha256OfTestFile(file));
    } finally {
      await first.close();
      restartDir.cleanup();
    }
  });
});
