// A file whose transfer fails before any byte is recorded leaves no temporary file: a job left
// in ERROR (or waiting to retry in TRANSIENT_ERROR) used to keep an empty hidden .ferry-part
// beside its destination until it was cancelled. A file with recorded bytes keeps them, so it
// resumes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

function partFiles(): string[] {
  return readdirSync(dir.path).filter((name) => name.endsWith('.ferry-part'));
}

async function jobFor(path: string, minimumRetryDelay = 0): Promise<Job> {
  n++;
  const job = engine.createJob({ displayName: `part-${n}`, priority: 'FOREGROUND' });
  await job.addFile(server.url(path), dir.file(`part-${n}.bin`));
  if (minimumRetryDelay > 0) await job.setMinimumRetryDelay(minimumRetryDelay);
  return job;
}

describe('the temporary file of a failed transfer', () => {
  it('is gone when the job ends in ERROR before any byte arrived', async () => {
    const job = await jobFor('/missing.bin');
    await job.resume();
    await waitForState(job, 'ERROR');
    assert.deepEqual(partFiles(), []);
    await job.cancel();
  });

  it('is gone while the job waits in TRANSIENT_ERROR without a byte', async () => {
    server.setFile('/busy.bin', {
      body: { size: 10_000, seed: 1 },
      failFirst: { count: 1, status: 503 },
    });
    const job = await jobFor('/busy.bin', 3600);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.deepEqual(partFiles(), []);
    await job.cancel();
  });

  it('keeps the bytes a failure left on disk, so the next attempt resumes', async () => {
    server.setFile('/cut.bin', {
      body: { size: 2_000_000, seed: 2 },
      dropAfterBytes: 600_000,
      dropAfterBytesTimes: 1,
    });
    const job = await jobFor('/cut.bin', 3600);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    const [file] = job.enumFiles();
    assert.ok(file !== undefined);
    assert.ok(file.progress.bytesTransferred > 0);
    assert.ok(statSync(file.tempName).size >= file.progress.bytesTransferred, 'the bytes stay');
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.complete();
    assert.ok(existsSync(file.localName));
    assert.equal(existsSync(file.tempName), false);
  });
});
