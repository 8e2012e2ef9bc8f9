// Slow start against a host that limits each connection's rate (nginx's limit_rate, a CDN's
// per-connection cap): every new connection adds throughput, so the file must go on opening
// connections up to its limit. Before windowed measurement it stopped at 4 whatever the limit
// (one 50 ms tick often saw none of a new connection's bytes).
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { sha256OfPath, sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

let server: TestServer;
let dir: TempDir;
let engine: Engine;

before(() => {
  dir = makeTempDir();
  engine = startEngine(dir);
});

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await server.close();
});

after(async () => {
  await engine.close();
  dir.cleanup();
});

describe('segmented transfers: slow start under a per-connection rate limit', () => {
  const cases = [
    // Light on the CPU (16 MiB/s in all), so a loaded machine still shows every step's gain;
    // the faster per-connection rates are measured by the benchmark (scenario 2).
    { connections: 16, perConnection: 1 * MiB, size: 40 * MiB, burstMs: 250 },
    { connections: 8, perConnection: 1 * MiB, size: 24 * MiB, burstMs: 50 },
  ];
  for (const { connections, perConnection, size, burstMs } of cases) {
    const name = `opens all ${connections} connections at ${perConnection / MiB} MiB/s each, sent every ${burstMs} ms`;
    it(name, async () => {
      engine.setSettings({ minSegmentSize: 256 * KiB, connectionsPerFile: connections });
      const path = `/ramp-${connections}.bin`;
      const file: TestFile = {
        body: { size, seed: connections },
        throttleBytesPerSec: perConnection,
        throttleBurstMs: burstMs,
      };
      server.setFile(path, file);
      const job = engine.createJob({ displayName: path, priority: 'FOREGROUND' });
      const local = dir.file(path.slice(1));
      await job.addFile(server.url(path), local);
      await job.resume();
      await waitForState(job, 'TRANSFERRED', 60_000);
      await job.complete();
      assert.equal(sha256OfPath(local), sha256OfTestFile(file), 'the file is byte-identical');
      const most = Math.max(...server.requests.map((r) => r.openSockets));
      assert.equal(most, connections, 'connections open at once reached the limit');
    });
  }
});
