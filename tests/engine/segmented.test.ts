// Segmented transfers on the loopback server: several ranged connections into one file, work
// stealing, a stalled connection handing its range back, fallbacks for servers without ranges
// or length, a source that changes between runs, and resume of a segmented record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineSettings } from '../../app/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import { sha256OfPath, sha256OfTestFile, startTestServer } from '../support/http-server.js';
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
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

function settings(patch: Partial<EngineSettings>): void {
  engine.setSettings({ minSegmentSize: 64 * KiB, segmentStallTimeout: 1, ...patch });
}

async function startJob(path: string, file: TestFile): Promise<Job> {
  server.setFile(path, file);
  n++;
  const job = engine.createJob({ displayName: `seg-${n}`, priority: 'FOREGROUND' });
  await job.addFile(server.url(path), dir.file(`seg-${n}.bin`));
  await job.resume();
  return job;
}

async function finish(job: Job, timeoutMs = 20_000): Promise<string> {
  await waitForState(job, 'TRANSFERRED', timeoutMs);
  await job.complete();
  return sha256OfPath(job.enumFiles()[0]?.localName ?? '');
}

function requestsFor(path: string): RequestLog[] {
  return server.requests.filter((r) => r.path === path);
}

describe('segmented transfers', () => {
  it('fetches one file over N ranged connections into one byte-identical file', async () => {
    settings({ connectionsPerFile: 4 });
    server.reset();
    const file: TestFile = { body: { size: 8 * MiB, seed: 1 }, throttleBytesPerSec: 2 * MiB };
    const job = await startJob('/n.bin', file);
    assert.equal(await finish(job), sha256OfTestFile(file));
    const requests = requestsFor('/n.bin');
    const ranged = requests.filter((r) => r.status === 206);
    assert.equal(requests[0]?.status, 200, 'the first request is a plain GET');
    assert.ok(ranged.length >= 3, `at least 3 ranged requests, got ${ranged.length}`);
    for (const r of ranged) {
      assert.match(String(r.headers.range), /^bytes=\d+-\d+$/, 'closed ranges');
      assert.ok(r.headers['if-range'] !== undefined, 'each range is guarded by If-Range');
    }
  });

  it('a connection that finishes takes half of the largest remaining range', async () => {
    settings({ connectionsPerFile: 3 });
    server.reset();
    const file: TestFile = { body: { size: 6 * MiB, seed: 2 }, throttleBytesPerSec: 2 * MiB };
    const job = await startJob('/steal.bin', file);
    assert.equal(await finish(job), sha256OfTestFile(file));
    const requests = requestsFor('/steal.bin');
    // Three connections need three requests; every one beyond that is a stolen half.
    assert.ok(requests.length > 3, `work was stolen: ${requests.length} requests`);
    const cut = requests.filter((r) => r.cut);
    assert.ok(cut.length >= 1, 'a connection whose range was taken stopped reading early');
  });

  it('a stalled connection hands its range back and the file still completes', async () => {
    settings({ connectionsPerFile: 2 });
    server.reset();
    const file: TestFile = {
      body: { size: 4 * MiB, seed: 3 },
      throttleBytesPerSec: 4 * MiB,
      stallAfterBytes: 256 * KiB,
      stallAfterBytesTimes: 1,
    };
    const job = await startJob('/stall.bin', file);
    assert.equal(await finish(job), sha256OfTestFile(file));
    const requests = requestsFor('/stall.bin');
    assert.equal(requests[0]?.bytesSent, 256 * KiB, 'the first connection stalled');
    assert.ok(
      requests.some((r) => r.rangeStart === 256 * KiB && r.status === 206),
      'its range was fetched again from where it stalled',
    );
    assert.equal(job.info().errorCount, 0);
  });

  it('falls back to one connection when the server ignores ranges', async () => {
    settings({ connectionsPerFile: 4 });
    server.reset();
    const file: TestFile = {
      body: { size: 4 * MiB, seed: 4 },
      ranges: false,
      throttleBytesPerSec: 8 * MiB,
    };
    const job = await startJob('/noranges.bin', file);
    assert.equal(await finish(job), sha256OfTestFile(file));
    const requests = requestsFor('/noranges.bin');
    assert.ok(requests.every((r) => r.status === 200));
    assert.equal(requests[0]?.bytesSent, 4 * MiB, 'the first connection fetched everything');
    assert.ok(requests.length <= 2, 'at most one probe besides it');
  });

  it('uses one connection when the server sends no length', async () => {
    settings({ connectionsPerFile: 4 });
    server.reset();
    const file: TestFile = { body: { size: 3 * MiB, seed: 5 }, sendLength: false };
    const job = await startJob('/nolength.bin', file);
    assert.equal(await finish(job), sha256OfTestFile(file));
    assert.equal(requestsFor('/nolength.bin').length, 1);
  });

  it('resumes a segmented file after Suspend, fetching only the missing ranges', async () => {
    settings({ connectionsPerFile: 4 });
    server.reset();
    const size = 8 * MiB;
    const file: TestFile = { body: { size, seed: 6 }, throttleBytesPerSec: 2 * MiB };
    const job = await startJob('/resume.bin', file);
    await waitFor(
      () => (job.enumFiles()[0]?.progress.bytesTransferred ?? 0) > size / 3,
      'a third of the file',
    );
    await job.suspend();
    const kept = job.enumFiles()[0]?.progress.bytesTransferred ?? 0;
    const before = server.requests.length;
    await job.resume();
    assert.equal(await finish(job), sha256OfTestFile(file));
    const after = server.requests.slice(before).filter((r) => r.path === '/resume.bin');
    assert.ok(
      after.every((r) => r.status === 206),
      'only ranges after the resume',
    );
    const sent = after.reduce((sum, r) => sum + r.bytesSent, 0);
    // What was on disk is not fetched again (a stolen connection may overshoot a little).
    assert.ok(sent <= size - kept + 2 * MiB, `sent ${sent} after resuming with ${kept} kept`);
  });

  it('a file that changed while suspended restarts cleanly and ends as the new content', async () => {
    settings({ connectionsPerFile: 4 });
    server.reset();
    const size = 8 * MiB;
    const old: TestFile = { body: { size, seed: 7 }, throttleBytesPerSec: 2 * MiB };
    const job = await startJob('/change.bin', old);
    await waitFor(
      () => (job.enumFiles()[0]?.progress.bytesTransferred ?? 0) > size / 4,
      'a quarter of the file',
    );
    await job.suspend();
    const fresh: TestFile = { body: { size: 5 * MiB, seed: 8 }, throttleBytesPerSec: 8 * MiB };
    server.setFile('/change.bin', fresh);
    await job.resume();
    assert.equal(await finish(job), sha256OfTestFile(fresh));
    assert.equal(job.info().progress.bytesTotal, 5 * MiB);
  });
});
