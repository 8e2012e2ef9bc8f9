// The no-progress rule of one connection holds for a segmented file too: when no byte of the
// file arrives on any connection for the body idle timeout, the transfer ends in a transient
// error (NET_TIMEOUT), instead of replacing stalled connections forever while the job shows
// TRANSFERRING.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

let server: TestServer;
let dir: TempDir;
let engine: Engine;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir, { limits: { bodyIdleTimeoutMs: 2000 } });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

describe('segmented transfers: no progress', () => {
  it('end in TRANSIENT_ERROR when every connection stalls', async () => {
    engine.setSettings({
      connectionsPerFile: 4,
      minSegmentSize: 256 * KiB,
      segmentStallTimeout: 1,
    });
    // The first response sends 1 MiB then stalls; every ranged request stalls at once.
    server.setFile('/stalls.bin', {
      body: { size: 8 * MiB, seed: 4 },
      stallAfterBytes: MiB,
      stallAfterBytesTimes: 1,
      stallRangesAfterBytes: 0,
    });
    const job = engine.createJob({ displayName: 'stalls', priority: 'FOREGROUND' });
    await job.addFile(server.url('/stalls.bin'), dir.file('stalls.bin'));
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR', 15_000);
    const error = job.info().error;
    assert.equal(error?.code, 'NET_TIMEOUT', JSON.stringify(error));
    assert.equal(error.context, 'GENERAL_TRANSPORT');
    await job.cancel();
  });
});
