// Guards against a segmented file opening more sockets than its connection limit: the first
// benchmark run saw the server accept 6 connections for connectionsPerFile 4 (12 for 8, 24 for
// 16), because work stealing cut responses in flight (closing their sockets) and the thief and
// the victim then opened new ones. The server must never see more than N connections open for
// one file at once, and the connections must be reused (keep-alive) rather than replaced.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Engine } from '../../main/engine/index.js';
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
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
  engine = startEngine(dir);
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function download(path: string, file: TestFile, connections: number): Promise<void> {
  engine.setSettings({ minSegmentSize: 128 * KiB, connectionsPerFile: connections });
  server.setFile(path, file);
  const job = engine.createJob({ displayName: path, priority: 'FOREGROUND' });
  const local = dir.file(path.slice(1));
  await job.addFile(server.url(path), local);
  await job.resume();
  await waitForState(job, 'TRANSFERRED', 30_000);
  await job.complete();
  const hash = createHash('sha256').update(readFileSync(local)).digest('hex');
  assert.equal(hash, sha256OfTestFile(file), 'the file is byte-identical');
}

describe('segmented transfers: connections per file', () => {
  for (const connections of [4, 8, 16]) {
    it(`never has more than ${connections} connections open for one file`, async () => {
      const path = `/sockets-${connections}.bin`;
      const file: TestFile = {
        body: { size: 12 * MiB, seed: connections },
        throttleBytesPerSec: 2 * MiB,
      };
      await download(path, file, connections);
      const requests = server.requests.filter((r) => r.path === path);
      const mostOpen = Math.max(...requests.map((r) => r.openSocketsForPath));
      assert.ok(mostOpen <= connections, `at most ${connections} open at once, saw ${mostOpen}`);
      const sockets = new Set(requests.map((r) => r.socketId)).size;
      // The first response is a plain GET of the whole file: splitting it cuts it once.
      assert.ok(sockets <= connections + 1, `${sockets} sockets for ${requests.length} requests`);
      assert.ok(requests.length > sockets, 'sockets carried several requests (keep-alive)');
    });
  }
});
