// A server that ignores Range (python's http.server, many static servers) answers every ranged
// request with the whole file. A segmented transfer must notice it once, finish the file over
// the one connection it has, and never re-request in a loop (it once sent 945 requests a
// second and sat at 50 % forever).
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { sha256OfPath, sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const MiB = 1024 * 1024;

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

describe('a server that ignores Range', () => {
  for (const connections of [1, 8]) {
    it(`completes over one connection with ${connections} allowed, without a request loop`, async () => {
      engine.setSettings({ connectionsPerFile: connections, minSegmentSize: 256 * 1024 });
      const path = `/no-ranges-${connections}.bin`;
      const file: TestFile = {
        body: { size: 4 * MiB, seed: connections },
        ranges: false,
        throttleBytesPerSec: 8 * MiB,
      };
      server.setFile(path, file);
      const job = engine.createJob({ displayName: path, priority: 'FOREGROUND' });
      const local = dir.file(path.slice(1));
      await job.addFile(server.url(path), local);
      await job.resume();
      await waitForState(job, 'TRANSFERRED', 20_000);
      await job.complete();
      assert.equal(sha256OfPath(local), sha256OfTestFile(file), 'the file is byte-identical');
      const requests = server.requests.filter((r) => r.path === path).length;
      assert.ok(requests <= 2, `${requests} requests for one file (one, plus at most one probe)`);
      assert.equal(job.info().errorCount, 0, 'no error on the way');
    });
  }
});
