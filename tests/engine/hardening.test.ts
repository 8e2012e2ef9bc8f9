// Regressions from the hardening probe: each test guards against one engine defect named in
// its comment.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { FerryError } from '../../app/index.js';
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

  // Guards against: two live jobs saving to the same final path (the later Complete silently
  // replaced the first download).
  it("refuses another live job's final path, and frees it once that job is final", async () => {
    const target = dir.file('shared-target.bin');
    const first = engine.createJob({ displayName: 'first owner' });
    await first.addFile(server.url('/many-0.bin'), target);
    const second = engine.createJob({ displayName: 'second' });
    await assert.rejects(second.addFile(server.url('/many-1.bin'), target), (error: unknown) => {
      assert.ok(error instanceof FerryError);
      assert.equal(error.code, 'INPUT_LOCAL_NAME_DUPLICATE');
      assert.match(error.message, /localName .* job 'first owner'/);
      return true;
    });
    assert.equal(second.enumFiles().length, 0, 'the refused command changed nothing');
    await first.cancel();
    await second.addFile(server.url('/many-1.bin'), target);
    assert.equal(second.enumFiles().length, 1);
    await second.cancel();
  });

  // Guards against: `file:///dev/zero` accepted and failing later with EISDIR.
  it('refuses file: sources that are devices, pseudo-files or folders at once', async () => {
    const job = engine.createJob({ displayName: 'devices' });
    for (const url of [
      'file:///dev/zero',
      'file:///proc/self/status',
      pathToFileURL(dir.path).href,
    ]) {
      await assert.rejects(job.addFile(url, dir.file('zero.bin')), (error: unknown) => {
        assert.ok(error instanceof FerryError);
        assert.equal(error.code, 'INPUT_INVALID_URL', error.message);
        assert.match(error.message, /remoteUrl/);
        return true;
      });
    }
    assert.equal(job.enumFiles().length, 0);
    await job.cancel();
  });

  // Guards against: a job that recovered from a transient error kept showing that error
  // after TRANSFERRED and ACKNOWLEDGED.
  it('a job that recovered shows no error once transferred and completed', async () => {
    server.setFile('/flaky.bin', {
      body: Buffer.alloc(2048, 9),
      failFirst: { count: 1, status: 503 },
    });
    const job = engine.createJob({ displayName: 'recovers', priority: 'FOREGROUND' });
    await job.setMinimumRetryDelay(0);
    await job.addFile(server.url('/flaky.bin'), dir.file('flaky.bin'));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.equal(job.getErrorCount(), 1, 'the 503 was seen');
    assert.equal(job.listErrors()[0]?.httpStatus, 503, 'and is kept in the error log');
    assert.equal(job.getError(), null);
    await job.complete();
    assert.equal(job.getState(), 'ACKNOWLEDGED');
    assert.equal(job.getError(), null);
  });

  // Guards against: a Content-Disposition header with control bytes made `ferry transfer`
  // never return: undici refuses the response head, and the job looped in TRANSIENT_ERROR.
  it('a response head with control bytes ends the job in ERROR instead of retrying forever', async () => {
    const raw = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.end(
          'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n' +
            'Content-Disposition: attachment; filename="evil\x01\x1b[31mname"\r\n\r\n' +
            'x'.repeat(16),
        );
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = raw.address() as AddressInfo;
      const job = engine.createJob({ displayName: 'control bytes', priority: 'FOREGROUND' });
      await job.setMinimumRetryDelay(0);
      await job.addFile(`http://127.0.0.1:${String(port)}/x.bin`, dir.file('control.bin'));
      await job.resume();
      await waitForState(job, 'ERROR');
      assert.equal(job.getErrorCount(), 1, 'refused once, not retried');
    } finally {
      raw.close();
    }
  });
});
