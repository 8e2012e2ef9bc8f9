// BITS' time limits in the engine, on a fake clock, against a real HTTP server and a real store:
// the maximum download time (default 90 days of connecting and transferring → ERROR with
// JOB_MAX_DOWNLOAD_TIME) and the inactivity rule (90 days untouched → CANCELLED).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { JobErrorInfo } from '../../app/index.js';
import { hasErrorCode } from '../../app/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { FakeClock } from '../support/fake-clock.js';

const DAY = 24 * 60 * 60 * 1000;

let server: TestServer;
let dir: TempDir;
let clock: FakeClock;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  // A body trickling at 16 KiB/s keeps a job TRANSFERRING for as long as a test needs.
  server.setFile('/slow.bin', {
    body: { size: 64 * 1024 * 1024, seed: 3 },
    throttleBytesPerSec: 16 * 1024,
  });
  server.setFile('/small.bin', { body: Buffer.alloc(1000, 5) });
  dir = makeTempDir();
  clock = new FakeClock();
  engine = startEngine(dir, { clock });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function newJob(path: string, flavour: 'BITS' | 'DO' = 'BITS'): Promise<Job> {
  n++;
  const job = engine.createJob({ displayName: `limits-${n}`, priority: 'FOREGROUND', flavour });
  await job.addFile(server.url(path), dir.file(`limits-${n}.bin`));
  return job;
}

/** Waits until the job has written more bytes than it had (a real checkpoint). */
async function progressOf(job: Job): Promise<void> {
  const before = job.getProgress().bytesTransferred;
  await waitFor(() => job.getProgress().bytesTransferred > before, 'progress');
}

/**
 * Resolves on the first event showing the job with more bytes than now: by then the engine has
 * seen that progress (the inactivity rule counts it at the clock's time).
 */
function progressEventOf(job: Job): Promise<void> {
  const before = job.getProgress().bytesTransferred;
  return new Promise((resolve) => {
    const stop = engine.subscribe((event) => {
      if (event.type !== 'jobModification' || event.job.id !== job.id) return;
      if (event.job.progress.bytesTransferred <= before) return;
      stop();
      resolve();
    });
  });
}

describe('maximum download time', () => {
  // The fake clock jumps over days with no progress in them: the inactivity rule, which would
  // cancel such a job at the same 90 days, is off here and tested on its own below.
  before(() => {
    engine.setSettings({ jobInactivityTimeout: 0 });
  });
  after(() => {
    engine.setSettings({ jobInactivityTimeout: 90 * 24 * 3600 });
  });

  it('is 90 days by default, and a job transferring for 90 days fails with JOB_MAX_DOWNLOAD_TIME', async () => {
    const job = await newJob('/slow.bin');
    assert.equal(job.getMaximumDownloadTime(), 7_776_000);
    const errors: JobErrorInfo[] = [];
    const stop = engine.subscribe((event) => {
      if (event.type === 'jobError' && event.job.id === job.id) errors.push(event.error);
    });
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    await progressOf(job);
    clock.advance(90 * DAY - 1000);
    assert.equal(job.getState(), 'TRANSFERRING');
    clock.advance(1000);
    await waitForState(job, 'ERROR');
    stop();
    const error = job.getError();
    assert.equal(error?.code, 'JOB_MAX_DOWNLOAD_TIME');
    assert.equal(error.context, 'GENERAL_QUEUE_MANAGER');
    assert.match(error.message, /maximum download time \(90 days\)/);
    assert.equal(errors.length, 1, 'JobError fires once');
    // ERROR keeps what was fetched, as any ERROR does.
    const [file] = job.enumFiles();
    assert.ok(file !== undefined && existsSync(file.tempName));
    assert.ok(file.progress.bytesTransferred > 0);
    // Resume gives the job its whole time again.
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    assert.equal(job.getActiveTime() < 1, true);
    clock.advance(89 * DAY);
    assert.equal(job.getState(), 'TRANSFERRING');
    await job.cancel();
  });

  it('counts only connecting and transferring: time QUEUED or SUSPENDED is free', async () => {
    const job = await newJob('/slow.bin');
    await job.setMaximumDownloadTime(3600);
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    clock.advance(1800 * 1000);
    await job.suspend();
    clock.advance(30 * DAY);
    assert.equal(job.getState(), 'SUSPENDED');
    assert.equal(job.getActiveTime(), 1800);
    await job.setMaximumDownloadTime(2400);
    // Resume starts the count over, as BITS documents.
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    clock.advance(2399 * 1000);
    assert.equal(job.getState(), 'TRANSFERRING');
    clock.advance(1000);
    await waitForState(job, 'ERROR');
    assert.equal(job.getError()?.code, 'JOB_MAX_DOWNLOAD_TIME');
    await job.cancel();
  });

  it('a lower limit on a running job applies at once; 0 removes the limit', async () => {
    const job = await newJob('/slow.bin', 'DO');
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    clock.advance(2 * 3600 * 1000);
    await job.setMaximumDownloadTime(0);
    clock.advance(400 * DAY);
    assert.equal(job.getState(), 'TRANSFERRING');
    await job.setMaximumDownloadTime(3600);
    // Already past it: due now (a fake clock fires what is due when it is moved).
    clock.advance(0);
    await waitForState(job, 'ERROR');
    assert.equal(job.getError()?.code, 'JOB_MAX_DOWNLOAD_TIME');
    await job.cancel();
  });

  it('the default for new jobs is a setting; bad values are refused as input', async () => {
    engine.setSettings({ defaultMaximumDownloadTime: 7200 });
    const job = await newJob('/small.bin');
    assert.equal(job.getMaximumDownloadTime(), 7200);
    engine.setSettings({ defaultMaximumDownloadTime: 7_776_000 });
    await assert.rejects(job.setMaximumDownloadTime(-5), (e: unknown) =>
      hasErrorCode(e, 'INPUT_INVALID'),
    );
    assert.equal(job.getMaximumDownloadTime(), 7200);
    await job.cancel();
  });
});

describe('inactivity', () => {
  it('a job untouched for 90 days is cancelled, its temporary file deleted and the cause logged', async () => {
    const job = await newJob('/slow.bin');
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    await progressOf(job);
    await job.suspend();
    const [file] = job.enumFiles();
    assert.ok(file !== undefined && existsSync(file.tempName));
    clock.advance(90 * DAY - 1000);
    assert.equal(job.getState(), 'SUSPENDED');
    clock.advance(1000);
    await waitForState(job, 'CANCELLED');
    assert.equal(existsSync(file.tempName), false);
    assert.deepEqual(
      engine.stateLog(job.id).map((entry) => [entry.state, entry.cause]),
      [['CANCELLED', 'inactivity']],
    );
  });

  it('a method call or progress starts the 90 days again', async () => {
    const idle = await newJob('/small.bin');
    const touched = await newJob('/small.bin');
    const running = await newJob('/slow.bin');
    // 90 days of TRANSFERRING would also spend the default maximum download time.
    await running.setMaximumDownloadTime(0);
    await running.resume();
    await waitForState(running, 'TRANSFERRING');
    clock.advance(60 * DAY);
    // Day 60: a method call on one job, progress (and nothing else) on the other.
    await touched.setDescription('still wanted');
    await progressEventOf(running);
    // Day 90: the sweep decides now, synchronously; a job it cancels has its Cancel queued on
    // the job's lock at once, so a method queued after it is refused (CANCELLED).
    clock.advance(30 * DAY);
    await waitForState(idle, 'CANCELLED');
    await running.suspend();
    await touched.setPriority('HIGH');
    assert.deepEqual(engine.stateLog(running.id), []);
    assert.deepEqual(engine.stateLog(touched.id), []);
    assert.equal(running.getState(), 'SUSPENDED');
    assert.equal(touched.getState(), 'SUSPENDED');
    // Those calls on day 90 start both counts again: 90 days later both are cancelled.
    clock.advance(90 * DAY);
    await waitForState(touched, 'CANCELLED');
    await waitForState(running, 'CANCELLED');
    for (const job of [idle, touched, running]) {
      assert.deepEqual(
        engine.stateLog(job.id).map((entry) => [entry.state, entry.cause]),
        [['CANCELLED', 'inactivity']],
      );
    }
  });

  it('is a live setting: 0 turns it off, a shorter one applies at once', async () => {
    engine.setSettings({ jobInactivityTimeout: 0 });
    const job = await newJob('/small.bin');
    clock.advance(365 * DAY);
    assert.equal(job.getState(), 'SUSPENDED');
    engine.setSettings({ jobInactivityTimeout: 30 * 24 * 3600 });
    await waitForState(job, 'CANCELLED');
    engine.setSettings({ jobInactivityTimeout: 90 * 24 * 3600 });
  });

  it('finished jobs stay in history: the rule only cancels live ones', async () => {
    const job = await newJob('/small.bin');
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.complete();
    clock.advance(200 * DAY);
    assert.equal(job.getState(), 'ACKNOWLEDGED');
    assert.deepEqual(engine.stateLog(job.id), []);
  });
});

describe('time limits across a restart', () => {
  it('active time and the last activity are kept in the store', async () => {
    const job = await newJob('/slow.bin');
    await job.setMaximumDownloadTime(10 * 3600);
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    clock.advance(6 * 3600 * 1000);
    await engine.close();
    engine = startEngine(dir, { clock });
    const again = engine.getJob(job.id);
    assert.equal(again.getActiveTime(), 6 * 3600);
    await waitForState(again, 'TRANSFERRING');
    clock.advance(4 * 3600 * 1000);
    await waitForState(again, 'ERROR');
    assert.equal(again.getError()?.code, 'JOB_MAX_DOWNLOAD_TIME');
    await again.cancel();
  });
});
