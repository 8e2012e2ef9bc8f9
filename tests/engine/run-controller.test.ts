// The run controller (main/engine/run-controller.ts) against a real engine and HTTP server: the
// end of a run racing an added file, and the timers of a TRANSIENT_ERROR job. Each test guards
// against one defect found in review, named in its comment.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  server.setFile('/a.bin', { body: Buffer.alloc(32 * 1024, 1) });
  server.setFile('/b.bin', { body: Buffer.alloc(32 * 1024, 2) });
  server.setFile('/busy.bin', { body: Buffer.alloc(10), failFirst: { count: 1e9, status: 503 } });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

describe('run controller', () => {
  // Guards against: a file added in the window between the attempt's last "any file left?"
  // check and the run's end is never fetched, yet the job is marked TRANSFERRED (and Complete
  // then drops the file as partial). run-controller.ts finish / transfer-attempt.ts
  // runTransferAttempt.
  it('a file added when the last file finishes is transferred, not silently skipped', async () => {
    n++;
    const job = engine.createJob({ displayName: `add-race-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url('/a.bin'), dir.file(`race-a-${n}.bin`));
    let added: Promise<void> | undefined;
    const stop = engine.subscribe((event) => {
      if (event.type === 'fileTransferred' && event.job.id === job.id && added === undefined) {
        // e.g. a UI that queues the next part as soon as one finishes
        added = job.addFile(server.url('/b.bin'), dir.file(`race-b-${n}.bin`));
      }
    });
    try {
      await job.resume();
      await waitFor(() => added !== undefined, 'the first file to transfer');
      await added;
      await waitFor(
        () => job.getState() === 'TRANSFERRED' || job.getState() === 'SUSPENDED',
        'the job to settle',
      );
      const files = job.enumFiles();
      assert.equal(files.length, 2);
      if (job.getState() === 'TRANSFERRED') {
        // TRANSFERRED must mean every file is in.
        assert.deepEqual(
          files.map((f) => f.progress.transferred),
          [true, true],
          'job is TRANSFERRED but its second file was never fetched',
        );
      }
    } finally {
      stop();
    }
  });

  // Guards against: the give-up timer keeps the deadline of the no-progress timeout that was
  // in force when it was armed, so raising SetNoProgressTimeout on a TRANSIENT_ERROR job
  // still sends it to ERROR at the old deadline. run-controller.ts armTransientTimers / giveUp.
  it('raising the no-progress timeout postpones the move to ERROR', async () => {
    n++;
    const job = engine.createJob({ displayName: `npt-up-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url('/busy.bin'), dir.file(`npt-up-${n}.bin`));
    await job.setMinimumRetryDelay(600); // longer than the timeout: no retry, only give-up
    await job.setNoProgressTimeout(1);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    await job.setNoProgressTimeout(3600);
    // A control job with the old 1 s timeout, armed after this one: when it reaches ERROR, the
    // old deadline of this job has passed too (an event to wait for instead of a sleep).
    const control = engine.createJob({ displayName: `npt-control-${n}`, priority: 'FOREGROUND' });
    await control.addFile(server.url('/busy.bin'), dir.file(`npt-control-${n}.bin`));
    await control.setMinimumRetryDelay(600);
    await control.setNoProgressTimeout(1);
    await control.resume();
    await waitForState(control, 'ERROR');
    assert.equal(job.getNoProgressTimeout(), 3600);
    assert.equal(
      job.getState(),
      'TRANSIENT_ERROR',
      'job went to ERROR after 1 s of no progress although its timeout is now 3600 s',
    );
    await job.cancel();
    await control.cancel();
  });

  // Guards against: lowering SetNoProgressTimeout to 0 ("no retries, every error is ERROR")
  // on a TRANSIENT_ERROR job does not stop the armed retry timer: the job is retried anyway.
  it('a no-progress timeout of 0 set in TRANSIENT_ERROR stops the pending retry', async () => {
    n++;
    server.setFile(`/busy-${n}.bin`, {
      body: Buffer.alloc(10),
      failFirst: { count: 1e9, status: 503 },
    });
    const job = engine.createJob({ displayName: `npt-zero-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url(`/busy-${n}.bin`), dir.file(`npt-zero-${n}.bin`));
    await job.setMinimumRetryDelay(1);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    const before = server.requests.filter((r) => r.path === `/busy-${n}.bin`).length;
    await job.setNoProgressTimeout(0);
    // A control job on its own path, its 1 s retry armed after this one's: once the server has
    // seen the control's retry, this job's retry was due too (an event instead of a sleep).
    server.setFile(`/busy-control-${n}.bin`, {
      body: Buffer.alloc(10),
      failFirst: { count: 1e9, status: 503 },
    });
    const control = engine.createJob({ displayName: `npt-control-${n}`, priority: 'FOREGROUND' });
    await control.addFile(server.url(`/busy-control-${n}.bin`), dir.file(`npt-control-${n}.bin`));
    await control.setMinimumRetryDelay(1);
    await control.resume();
    await waitForState(control, 'TRANSIENT_ERROR');
    const controlRequests = (): number =>
      server.requests.filter((r) => r.path === `/busy-control-${n}.bin`).length;
    const first = controlRequests();
    await waitFor(() => controlRequests() > first, "the control job's retry", 5000);
    const afterCount = server.requests.filter((r) => r.path === `/busy-${n}.bin`).length;
    assert.equal(afterCount, before, 'the job was retried although its no-progress timeout is 0');
    await job.cancel().catch(() => undefined);
    await control.cancel();
  });
});
