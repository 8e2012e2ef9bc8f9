// The DO (Delivery Optimization) flavour against a real HTTP server and a real store: a run
// goes QUEUED → TRANSFERRING with no CONNECTING, transient errors are retried on the engine's
// back-off (not a delay of the job's own: SetMinimumRetryDelay is refused), the no-progress
// timeout still ends in ERROR, and the flavour survives a restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { JobErrorInfo, JobState } from '../../app/index.js';
import { hasErrorCode } from '../../app/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

/** A back-off short enough for a test: 50 ms, doubling, at most 200 ms. */
const BACKOFF = { firstSeconds: 0.05, maxSeconds: 0.2 };

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir, { doRetryBackoff: BACKOFF });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

/** Every state each job is reported in, in order, as a UI listening to events sees them. */
function recordStates(): { of: (job: Job) => JobState[]; stop: () => void } {
  const states = new Map<string, JobState[]>();
  const stop = engine.subscribe((event) => {
    if (event.type !== 'jobModification') return;
    const seen = states.get(event.job.id) ?? [];
    if (seen.at(-1) !== event.job.state) seen.push(event.job.state);
    states.set(event.job.id, seen);
  });
  return { of: (job) => states.get(job.id) ?? [], stop };
}

async function doJob(path: string, body: Buffer, extra: object = {}): Promise<Job> {
  n++;
  server.setFile(path, { body, ...extra });
  const job = engine.createJob({ displayName: `do-${n}`, flavour: 'DO' });
  await job.addFile(server.url(path), dir.file(`do-${n}.bin`));
  return job;
}

describe('DO flavour', () => {
  it('runs QUEUED → TRANSFERRING → TRANSFERRED without ever being CONNECTING', async () => {
    const log = recordStates();
    const body = Buffer.alloc(300_000, 7);
    const job = await doJob('/do-ok.bin', body, { headerDelayMs: 150 });
    assert.equal(job.getFlavour(), 'DO');
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    log.stop();
    assert.deepEqual(log.of(job), ['SUSPENDED', 'QUEUED', 'TRANSFERRING', 'TRANSFERRED']);
    await job.complete();
    assert.deepEqual(readFileSync(job.enumFiles()[0]?.localName ?? ''), body);
  });

  it('a BITS job on the same server still connects in CONNECTING', async () => {
    const log = recordStates();
    server.setFile('/bits-ok.bin', { body: Buffer.alloc(1000, 1), headerDelayMs: 150 });
    const job = engine.createJob({ displayName: 'bits' });
    await job.addFile(server.url('/bits-ok.bin'), dir.file('bits-ok.bin'));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    log.stop();
    assert.deepEqual(log.of(job), [
      'SUSPENDED',
      'QUEUED',
      'CONNECTING',
      'TRANSFERRING',
      'TRANSFERRED',
    ]);
    assert.equal(job.getFlavour(), 'BITS');
  });

  it('SetMinimumRetryDelay is refused with INPUT_UNSUPPORTED_FOR_FLAVOUR and changes nothing', async () => {
    const job = await doJob('/do-refuse.bin', Buffer.alloc(10));
    const before = job.info();
    assert.equal(job.getMinimumRetryDelay(), BACKOFF.firstSeconds);
    await assert.rejects(job.setMinimumRetryDelay(30), (error: unknown) => {
      assert.ok(hasErrorCode(error, 'INPUT_UNSUPPORTED_FOR_FLAVOUR'), String(error));
      assert.match(String(error), /minimum retry delay of job 'do-\d+'.*internal back-off/);
      return true;
    });
    assert.deepEqual(job.info(), before);
    await job.cancel();
  });

  it('retries a transient error on the internal back-off: 50, 100, 200, 200 ms, then succeeds', async () => {
    const job = await doJob('/do-busy.bin', Buffer.alloc(5000, 3), {
      failFirst: { count: 4, status: 503 },
    });
    // Each retry's wait, read from the job as each TRANSIENT_ERROR is reported.
    const waits: number[] = [];
    const delays: number[] = [];
    let lastError = 0;
    const stop = engine.subscribe((event) => {
      if (event.type !== 'jobModification' || event.job.id !== job.id) return;
      const { state, times, error, minimumRetryDelay } = event.job;
      if (state !== 'TRANSIENT_ERROR' || times.retryTime === null || error === null) return;
      // One entry per error (a later notification of the same error repeats its time).
      if (error.time === lastError) return;
      lastError = error.time;
      waits.push(times.retryTime - error.time);
      delays.push(minimumRetryDelay);
    });
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    stop();
    // The back-off's steps, exactly, as the job reports them at each error.
    assert.deepEqual(delays, [0.05, 0.1, 0.2, 0.2]);
    // The retry is timed from the failure and the error stamped after it, so each wait is its
    // step less however long the stamping took (a few ms, more on a loaded machine): never
    // longer than its step.
    assert.equal(waits.length, 4, String(waits));
    waits.forEach((w, i) => {
      const step = (delays[i] ?? 0) * 1000;
      assert.ok(w > 0 && w <= step, `wait ${String(w)} ms for a ${String(step)} ms step`);
    });
    assert.equal(job.getErrorCount(), 4);
    // GetMinimumRetryDelay reports the back-off's current step.
    assert.equal(job.getMinimumRetryDelay(), 0.2);
  });

  it('Resume after progress starts the back-off over at its first step', async () => {
    const job = await doJob('/do-again.bin', Buffer.alloc(10, 1), {
      failFirst: { count: 2, status: 503 },
    });
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.equal(job.getMinimumRetryDelay(), 0.1);
    server.setFile('/do-again.bin', {
      body: Buffer.alloc(10, 1),
      failFirst: { count: 1, status: 503 },
    });
    await job.addFile(server.url('/do-again.bin'), dir.file(`do-again-2.bin`));
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.equal(job.getMinimumRetryDelay(), 0.05);
    await waitForState(job, 'TRANSFERRED');
  });

  it('still becomes ERROR when it makes no progress for its no-progress timeout', async () => {
    const job = await doJob('/do-down.bin', Buffer.alloc(10), {
      failFirst: { count: 1e9, status: 503 },
    });
    await job.setNoProgressTimeout(0.6);
    const errors: JobErrorInfo[] = [];
    const stop = engine.subscribe((event) => {
      if (event.type === 'jobError' && event.job.id === job.id) errors.push(event.error);
    });
    await job.resume();
    await waitForState(job, 'ERROR');
    stop();
    // Retried on the back-off meanwhile (50 + 100 + 200 + 200 ms fit in 600 ms).
    assert.ok(job.getErrorCount() >= 3, `error count ${String(job.getErrorCount())}`);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.httpStatus, 503);
    await job.cancel();
  });

  it('keeps its flavour and limits in the store across a restart', async () => {
    const job = await doJob('/do-kept.bin', Buffer.alloc(10));
    await job.setMaximumDownloadTime(12_345);
    const id = job.id;
    await engine.close();
    engine = startEngine(dir, { doRetryBackoff: BACKOFF });
    const again = engine.getJob(id);
    assert.equal(again.getFlavour(), 'DO');
    assert.equal(again.getMaximumDownloadTime(), 12_345);
    assert.equal(again.getMinimumRetryDelay(), BACKOFF.firstSeconds);
    await assert.rejects(again.setMinimumRetryDelay(10), (e: unknown) =>
      hasErrorCode(e, 'INPUT_UNSUPPORTED_FOR_FLAVOUR'),
    );
    await again.cancel();
  });

  it('a flavour that is not BITS or DO is refused as bad input', () => {
    assert.throws(
      () => engine.createJob({ displayName: 'x', flavour: 'do' as 'DO' }),
      (e: unknown) => hasErrorCode(e, 'INPUT_INVALID') && /flavour/.test(String(e)),
    );
  });
});
