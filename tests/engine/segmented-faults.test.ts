// Segmented transfers against a host that pushes back mid-run: 429/503 answers to ranged
// requests (back off: the refused range goes back to be fetched again, by a growing segment
// when it lies right after one, and the file completes byte-identical without a job error), and a
// file whose validator changes while its ranges are being fetched (restart once, cleanly, and
// end byte-identical to the new content).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Engine, Job } from '../../main/engine/index.js';
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { RequestLog, TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  engine.setSettings({ minSegmentSize: 64 * KiB, segmentStallTimeout: 2, connectionsPerFile: 4 });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function startJob(path: string, file: TestFile, prepare?: () => void): Promise<Job> {
  server.setFile(path, file);
  prepare?.();
  n++;
  const job = engine.createJob({ displayName: `segfault-${n}`, priority: 'FOREGROUND' });
  await job.addFile(server.url(path), dir.file(`segfault-${n}.bin`));
  await job.resume();
  return job;
}

async function finish(job: Job, timeoutMs = 20_000): Promise<string> {
  await waitForState(job, 'TRANSFERRED', timeoutMs);
  await job.complete();
  const path = job.enumFiles()[0]?.localName ?? '';
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function requestsFor(path: string): RequestLog[] {
  return server.requests.filter((r) => r.path === path);
}

describe('segmented transfers under push-back', () => {
  for (const status of [503, 429]) {
    it(`backs off on ${status} to a ranged request: no job error, byte-identical file`, async () => {
      server.reset();
      const path = `/busy-${status}.bin`;
      const file: TestFile = {
        body: { size: 6 * MiB, seed: 20 + status },
        throttleBytesPerSec: 2 * MiB,
      };
      const job = await startJob(path, file);
      // Push back once ranged connections are at work (the next ranged request is refused).
      await waitFor(() => requestsFor(path).some((r) => r.status === 206), 'a ranged response');
      server.failRanged(path, 1, status);
      assert.equal(await finish(job), sha256OfTestFile(file));
      assert.equal(job.info().errorCount, 0, 'a push-back is not a job error');
      const requests = requestsFor(path);
      const refused = requests.filter((r) => r.status === status);
      assert.equal(refused.length, 1, 'the push-back was met');
      const [pushBack] = refused;
      assert.ok(pushBack !== undefined);
      assert.ok(pushBack.headers.range !== undefined, 'only a ranged request was refused');
    });
  }

  it('a validator that changes mid-run restarts the file once and ends as the new content', async () => {
    server.reset();
    const path = '/swap.bin';
    const size = 8 * MiB;
    const old: TestFile = { body: { size, seed: 30 }, throttleBytesPerSec: 1 * MiB };
    const job = await startJob(path, old);
    // Wait until ranged connections are at work, then replace the file under them.
    await waitFor(
      () =>
        requestsFor(path).some((r) => r.status === 206) &&
        (job.enumFiles()[0]?.progress.bytesTransferred ?? 0) > 256 * KiB,
      'ranged connections at work',
    );
    const fresh: TestFile = { body: { size: 6 * MiB, seed: 31 }, throttleBytesPerSec: 8 * MiB };
    server.setFile(path, fresh);
    assert.equal(await finish(job), sha256OfTestFile(fresh));
    assert.equal(job.info().progress.bytesTotal, 6 * MiB);
    assert.equal(job.info().errorCount, 0, 'a clean restart, not an error');
    const afterSwap = requestsFor(path).filter((r) => r.headers['if-range'] === undefined);
    assert.ok(afterSwap.length >= 2, 'a plain GET started the file over');
  });
});
