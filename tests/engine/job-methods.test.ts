// Every state-dependent method in every state, for both flavours (BITS and DO): allowed ones
// move the job exactly as the transition table (app/transitions.ts) says; forbidden ones throw
// JOB_INVALID_STATE (or INPUT_UNSUPPORTED_FOR_FLAVOUR for a method the flavour lacks) and
// leave the job exactly as it was. A DO job never enters CONNECTING.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { JobFlavour, JobMethod, JobState } from '../../app/index.js';
import {
  FLAVOUR_RULES,
  JOB_FLAVOURS,
  JOB_METHODS,
  JOB_STATES,
  hasErrorCode,
  hasMethod,
  nextState,
} from '../../app/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let counter = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  engine.setSettings({ maxConcurrentJobs: 1 });
  server.setFile('/small.bin', { body: Buffer.from('small file body') });
  server.setFile('/slow-headers.bin', { body: Buffer.alloc(1000), headerDelayMs: 60_000 });
  server.setFile('/slow-body.bin', {
    body: { size: 50 * 1024 * 1024, seed: 1 },
    throttleBytesPerSec: 64 * 1024,
  });
  server.setFile('/busy.bin', { body: Buffer.alloc(10), failFirst: { count: 1e9, status: 503 } });
  server.setFile('/missing.bin', { body: Buffer.alloc(0), status: 404 });
  // A HIGH job holding the only background slot keeps every resumed NORMAL job QUEUED.
  const blocker = engine.createJob({ displayName: 'blocker', priority: 'HIGH' });
  await blocker.addFile(server.url('/slow-body.bin'), dir.file('blocker.bin'));
  await blocker.resume();
  await waitForState(blocker, 'TRANSFERRING');
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function newJob(
  path: string,
  priority: 'FOREGROUND' | 'NORMAL' = 'FOREGROUND',
  flavour: JobFlavour = 'BITS',
) {
  counter++;
  const job = engine.createJob({ displayName: `job-${counter}`, priority, flavour });
  await job.addFile(server.url(path), dir.file(`out-${counter}.bin`));
  return job;
}

/** A fresh job of the flavour in the given state. */
async function jobIn(state: JobState, flavour: JobFlavour = 'BITS'): Promise<Job> {
  switch (state) {
    case 'SUSPENDED':
      return newJob('/small.bin', 'FOREGROUND', flavour);
    case 'QUEUED': {
      const job = await newJob('/small.bin', 'NORMAL', flavour);
      await job.resume();
      return job;
    }
    case 'CONNECTING': {
      const job = await newJob('/slow-headers.bin', 'FOREGROUND', flavour);
      await job.resume();
      await waitForState(job, 'CONNECTING');
      return job;
    }
    case 'TRANSFERRING': {
      const job = await newJob('/slow-body.bin', 'FOREGROUND', flavour);
      await job.resume();
      await waitForState(job, 'TRANSFERRING');
      return job;
    }
    case 'TRANSIENT_ERROR': {
      const job = await newJob('/busy.bin', 'FOREGROUND', flavour);
      // A DO job waits on the engine's back-off (60 s at first), long enough as it is.
      if (flavour === 'BITS') await job.setMinimumRetryDelay(600);
      await job.resume();
      await waitForState(job, 'TRANSIENT_ERROR');
      return job;
    }
    case 'ERROR': {
      const job = await newJob('/missing.bin', 'FOREGROUND', flavour);
      await job.resume();
      await waitForState(job, 'ERROR');
      return job;
    }
    case 'TRANSFERRED': {
      const job = await newJob('/small.bin', 'FOREGROUND', flavour);
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      return job;
    }
    case 'ACKNOWLEDGED': {
      const job = await jobIn('TRANSFERRED', flavour);
      await job.complete();
      return job;
    }
    case 'CANCELLED': {
      const job = await newJob('/small.bin', 'FOREGROUND', flavour);
      await job.cancel();
      return job;
    }
  }
}

async function call(job: Job, method: JobMethod): Promise<void> {
  switch (method) {
    case 'suspend':
      return job.suspend();
    case 'resume':
      return job.resume();
    case 'complete':
      await job.complete();
      return;
    case 'cancel':
      await job.cancel();
      return;
    case 'addFile':
      counter++;
      return job.addFile(server.url('/small.bin'), dir.file(`extra-${counter}.bin`));
    case 'setProperty':
      return job.setDescription('changed');
    case 'setMinimumRetryDelay':
      return job.setMinimumRetryDelay(700);
    case 'setRemoteName':
      return job.setRemoteName(0, server.url('/small.bin?renamed'));
    case 'replaceRemotePrefix':
      await job.replaceRemotePrefix(server.origin, server.origin + '/');
      return;
    case 'takeOwnership':
      return job.takeOwnership();
  }
}

for (const flavour of JOB_FLAVOURS) {
  describe(`every method in every state: ${flavour} jobs`, () => {
    for (const state of JOB_STATES) {
      if (FLAVOUR_RULES[flavour].unreachable.includes(state)) {
        it(`a ${flavour} job never enters ${state}, so no method runs there`, async () => {
          const seen: JobState[] = [];
          const stop = engine.subscribe((event) => {
            if (event.type === 'jobModification' && event.job.id === job?.id) {
              seen.push(event.job.state);
            }
          });
          let job: Job | undefined;
          try {
            // The run that would connect in CONNECTING: a server slow to send its headers.
            job = await newJob('/slow-headers.bin', 'FOREGROUND', flavour);
            await job.resume();
            await waitForState(job, 'TRANSFERRING');
            assert.equal(job.getProgress().bytesTransferred, 0);
          } finally {
            stop();
          }
          assert.ok(!seen.includes(state), `states seen: ${seen.join(', ')}`);
          for (const method of JOB_METHODS)
            assert.equal(nextState(method, state, { flavour }), null);
          await job.cancel();
        });
        continue;
      }
      for (const method of JOB_METHODS) {
        const expected = nextState(method, state, { flavour });
        const title =
          expected === null
            ? `${method} is refused in ${state}`
            : `${method} in ${state} → ${expected}`;
        it(title, async () => {
          const job = await jobIn(state, flavour);
          assert.equal(job.getState(), state);
          assert.equal(job.info().flavour, flavour);
          if (expected === null) {
            const before = job.info();
            const files = job.enumFiles();
            await assert.rejects(call(job, method), (error: unknown) => {
              if (hasMethod(method, { flavour })) {
                assert.ok(hasErrorCode(error, 'JOB_INVALID_STATE'), String(error));
                assert.match((error as Error).message, new RegExp(state));
              } else {
                assert.ok(hasErrorCode(error, 'INPUT_UNSUPPORTED_FOR_FLAVOUR'), String(error));
                assert.match((error as Error).message, /DO \(Delivery Optimization\)/);
              }
              return true;
            });
            assert.deepEqual(job.info(), before);
            assert.deepEqual(job.enumFiles(), files);
          } else {
            await call(job, method);
            // Read at once: the scheduler runs on a later turn, so nothing else has moved yet.
            assert.equal(job.getState(), expected);
          }
          if (!['ACKNOWLEDGED', 'CANCELLED'].includes(job.getState())) await job.cancel();
        });
      }
    }
  });
}

describe('what the controls do to files', () => {
  it('Resume on a job with no files is refused with JOB_EMPTY and it stays SUSPENDED', async () => {
    const job = engine.createJob({ displayName: 'empty' });
    await assert.rejects(job.resume(), (e: unknown) => hasErrorCode(e, 'JOB_EMPTY'));
    assert.equal(job.getState(), 'SUSPENDED');
  });

  it('Cancel mid-transfer deletes the temporary file and never creates the final one', async () => {
    const job = await jobIn('TRANSFERRING');
    const [file] = job.enumFiles();
    assert.ok(file !== undefined && existsSync(file.tempName));
    await job.cancel();
    assert.equal(existsSync(file.tempName), false);
    assert.equal(existsSync(file.localName), false);
  });

  it('Complete mid-transfer keeps nothing partial: no final file, no temporary file', async () => {
    const job = await jobIn('TRANSFERRING');
    const [file] = job.enumFiles();
    assert.ok(file !== undefined);
    const result = await job.complete();
    assert.deepEqual(result, { partial: true, unableToDeleteFiles: false });
    assert.equal(existsSync(file.localName), false);
    assert.equal(existsSync(file.tempName), false);
    assert.equal(job.getState(), 'ACKNOWLEDGED');
  });

  it('final jobs leave EnumJobs and appear in history', async () => {
    const done = await jobIn('ACKNOWLEDGED');
    const gone = await jobIn('CANCELLED');
    const live = engine.enumJobs().map((j) => j.id);
    assert.ok(!live.includes(done.id) && !live.includes(gone.id));
    const history = engine.history().map((j) => j.id);
    assert.ok(history.includes(done.id) && history.includes(gone.id));
  });
});
