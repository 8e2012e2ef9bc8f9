// Power, session and network conditions (main/engine/transfer-gate.ts) against a real
// download: a hold moves a transferring job to QUEUED and nothing restarts until every cause
// is released; without a network, a job failing on a network error waits in TRANSIENT_ERROR
// without a retry or no-progress time, and is retried at once when the network returns.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { startTestServer, sha256OfTestFile } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { sha256OfPath } from '../support/test-file.js';

let dir: TempDir;
let engine: Engine;
let server: TestServer;

const SLOW: TestFile = { body: { size: 768 * 1024, seed: 5 }, throttleBytesPerSec: 512 * 1024 };
const DROPPING: TestFile = {
  body: { size: 512 * 1024, seed: 6 },
  throttleBytesPerSec: 512 * 1024,
  dropAfterBytes: 64 * 1024,
  dropAfterBytesTimes: 1,
};

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  server.setFile('/slow.bin', SLOW);
  server.setFile('/dropping.bin', DROPPING);
  server.setFile('/small.bin', { body: { size: 1000, seed: 7 } });
  server.setFile('/busy.bin', { body: Buffer.alloc(10), failFirst: { count: 1e9, status: 503 } });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

/** Two turns of the event loop: a re-plan requested now has run. */
async function planPassed(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('transfer holds (suspend, lock, session end)', () => {
  it('moves a transferring job to QUEUED and resumes it once every cause is released', async () => {
    const job = engine.createJob({ displayName: 'held' });
    const local = dir.file('held.bin');
    await job.addFile(server.url('/slow.bin'), local);
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    await engine.holdTransfers('system-suspend');
    assert.equal(job.getState(), 'QUEUED');
    await engine.holdTransfers('screen-locked');
    assert.deepEqual(engine.transferConditions().holds, ['system-suspend', 'screen-locked']);
    engine.releaseTransfers('system-suspend');
    await planPassed();
    assert.equal(job.getState(), 'QUEUED', 'still held by the locked screen');
    engine.releaseTransfers('screen-locked');
    await waitForState(job, 'TRANSFERRED');
    // Its history: moved to QUEUED by the suspend, let go by the resume; the lock came while
    // it was already queued, so it is not in this job's log.
    assert.deepEqual(
      engine.stateLog(job.getId()).map((entry) => `${entry.state} ${entry.cause}`),
      ['QUEUED system-suspend', 'QUEUED system-resume'],
    );
    await job.complete();
    assert.equal(sha256OfPath(local), sha256OfTestFile(SLOW));
  });

  it('refuses an unknown cause without holding anything', async () => {
    await assert.rejects(engine.holdTransfers('lunch' as never), { code: 'INPUT_INVALID' });
    assert.deepEqual(engine.transferConditions().holds, []);
  });
});

describe('network awareness', () => {
  it('starts nothing while offline, and queued jobs start when the network returns', async () => {
    engine.setNetworkAvailable(false);
    const job = engine.createJob({ displayName: 'offline-queued' });
    await job.addFile(server.url('/small.bin'), dir.file('offline-queued.bin'));
    await job.resume();
    await planPassed();
    assert.equal(job.getState(), 'QUEUED');
    engine.setNetworkAvailable(true);
    await waitForState(job, 'TRANSFERRED');
  });

  it('keeps a job that lost its connection in TRANSIENT_ERROR without spending retries or no-progress time, then retries at once', async () => {
    const job = engine.createJob({ displayName: 'offline-dropped' });
    const local = dir.file('offline-dropped.bin');
    await job.addFile(server.url('/dropping.bin'), local);
    // Online, this job would be retried at once and give up after 1 s without progress.
    await job.setMinimumRetryDelay(0);
    await job.setNoProgressTimeout(1);
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    engine.setNetworkAvailable(false);
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.equal(job.getError()?.code, 'HTTP_LENGTH_MISMATCH');
    assert.equal(job.info().times.retryTime, null, 'no retry planned while offline');
    // Absence over time is shown against a clock that moves on its own: a control job on a
    // second, online engine, with the same 1 s no-progress timeout armed after this job's
    // error, reaches ERROR; by then this job, were it not held, would have given up too.
    const controlDir = makeTempDir();
    const online = startEngine(controlDir);
    try {
      const control = online.createJob({ displayName: 'online-control' });
      await control.addFile(server.url('/busy.bin'), controlDir.file('control.bin'));
      await control.setMinimumRetryDelay(600);
      await control.setNoProgressTimeout(1);
      await control.resume();
      await waitForState(control, 'ERROR');
    } finally {
      await online.close();
      controlDir.cleanup();
    }
    assert.equal(job.getState(), 'TRANSIENT_ERROR');
    assert.equal(job.info().errorCount, 1, 'no retry was spent');
    engine.setNetworkAvailable(true);
    await waitForState(job, 'TRANSFERRED');
    assert.equal(job.info().errorCount, 1);
    await job.complete();
    assert.equal(sha256OfPath(local), sha256OfTestFile(DROPPING));
    await waitFor(() => engine.transferConditions().online, 'online');
  });
});
