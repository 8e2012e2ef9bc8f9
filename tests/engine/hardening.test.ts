// Regressions from the hardening probe: each test guards against one engine defect named in
// its comment.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  for (let i = 0; i < 24; i++) server.setFile(`/many-${i}.bin`, { body: Buffer.alloc(4096, i) });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

describe('engine hardening', () => {
  // Guards against: `MaxListenersExceededWarning: 11 abort listeners` on every job of more
  // than ten files, since each running file hung its listeners on the job's one signal.
  it('a job of 24 files runs without a MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      engine.setSettings({ concurrentFilesPerJob: 16 });
      const job = engine.createJob({ displayName: 'many-files', priority: 'FOREGROUND' });
      await job.addFileSet(
        Array.from({ length: 24 }, (_, i) => ({
          remoteUrl: server.url(`/many-${i}.bin`),
          localName: dir.file(`many-${i}.bin`),
        })),
      );
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      // 'warning' is emitted on the next tick after the listener is added.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
