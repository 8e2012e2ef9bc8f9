// Regressions found in review: each test guards against one engine defect, named in its comment.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { createEngine } from '../../main/engine/index.js';
import type { Engine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import {
  makeTempDir,
  sleep,
  startEngine,
  testEngineOptions,
  waitFor,
  waitForState,
} from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  server.setFile('/a.bin', { body: Buffer.alloc(32 * 1024, 1) });
  server.setFile('/b.bin', { body: Buffer.alloc(32 * 1024, 2) });
  server.setFile('/busy.bin', { body: Buffer.alloc(10), failFirst: { count: 1e9, status: 503 } });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

describe('review findings', () => {
  // Guards against: a file added in the window between the runner's last "any file left?"
  // check and finishRun is never fetched, yet the job is marked TRANSFERRED (and Complete
  // then drops the file as partial). job-manager.ts finishRun / job-runner.ts runJob.
  it('a file added when the last file finishes is transferred, not silently skipped', async () => {
    n++;
    const job = engine.createJob({ displayName: `add-race-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url('/a.bin'), dir.file(`race-a-${n}.bin`));
    let added: Promise<void> | undefined;
    const stop = engine.subscribe((event) => {
      if (event.type === 'fileTransferred' && event.job.id === job.id && added === undefined) {
        // e.g. a UI that queues the next part as soon as one finishes
        added = job.addFile(server.url('/b.bin'), dir.file(`race-b-${n}.bin`));
      }
    });
    try {
      await job.resume();
      await waitFor(() => added !== undefined, 'the first file to transfer');
      await added;
      await waitFor(
        () => job.getState() === 'TRANSFERRED' || job.getState() === 'SUSPENDED',
        'the job to settle',
      );
      await sleep(100);
      const files = job.enumFiles();
      assert.equal(files.length, 2);
      if (job.getState() === 'TRANSFERRED') {
        // TRANSFERRED must mean every file is in.
        assert.deepEqual(
          files.map((f) => f.progress.transferred),
          [true, true],
          'job is TRANSFERRED but its second file was never fetched',
        );
      }
    } finally {
      stop();
    }
  });

  // Guards against: the give-up timer keeps the deadline of the no-progress timeout that was
  // in force when it was armed, so raising SetNoProgressTimeout on a TRANSIENT_ERROR job
  // still sends it to ERROR at the old deadline. job-manager.ts armTransientTimers / giveUp.
  it('raising the no-progress timeout postpones the move to ERROR', async () => {
    n++;
    const job = engine.createJob({ displayName: `npt-up-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url('/busy.bin'), dir.file(`npt-up-${n}.bin`));
    await job.setMinimumRetryDelay(600); // longer than the timeout: no retry, only give-up
    await job.setNoProgressTimeout(1);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    await job.setNoProgressTimeout(3600);
    await sleep(1500);
    assert.equal(job.getNoProgressTimeout(), 3600);
    assert.equal(
      job.getState(),
      'TRANSIENT_ERROR',
      'job went to ERROR after 1 s of no progress although its timeout is now 3600 s',
    );
    await job.cancel();
  });

  // Guards against: lowering SetNoProgressTimeout to 0 ("no retries, every error is ERROR")
  // on a TRANSIENT_ERROR job does not stop the armed retry timer: the job is retried anyway.
  it('a no-progress timeout of 0 set in TRANSIENT_ERROR stops the pending retry', async () => {
    n++;
    server.setFile(`/busy-${n}.bin`, {
      body: Buffer.alloc(10),
      failFirst: { count: 1e9, status: 503 },
    });
    const job = engine.createJob({ displayName: `npt-zero-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url(`/busy-${n}.bin`), dir.file(`npt-zero-${n}.bin`));
    await job.setMinimumRetryDelay(1);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    const before = server.requests.filter((r) => r.path === `/busy-${n}.bin`).length;
    await job.setNoProgressTimeout(0);
    await sleep(1500);
    const afterCount = server.requests.filter((r) => r.path === `/busy-${n}.bin`).length;
    assert.equal(afterCount, before, 'the job was retried although its no-progress timeout is 0');
    await job.cancel().catch(() => undefined);
  });
});

describe('review findings: engine start-up', () => {
  /** A data directory whose one job row cannot be read back (its proxy column is not JSON). */
  async function brokenDataDir(root: string): Promise<string> {
    const dataDir = join(root, 'data');
    const first = createEngine(testEngineOptions(dataDir));
    first.createJob({ displayName: 'x' });
    await first.close();
    const db = new Database(join(dataDir, 'ferry.db'));
    db.prepare("UPDATE jobs SET proxy = 'not json'").run();
    db.close();
    return dataDir;
  }

  function tryCreate(dataDir: string): unknown {
    try {
      void createEngine(testEngineOptions(dataDir)).close();
      return undefined;
    } catch (error) {
      return error;
    }
  }

  // Guards against: a restore failure surfacing as a bare SyntaxError, with no Ferry code or
  // error context (index.ts createEngine -> JobManager.restore -> JobRepo.loadJobs).
  it('a failing restore reports a Ferry error (STORE_FAILED)', async () => {
    const own = makeTempDir();
    try {
      const failure = tryCreate(await brokenDataDir(own.path));
      assert.ok(failure instanceof Error, 'createEngine should fail on the bad row');
      assert.equal(
        (failure as { code?: unknown }).code,
        'STORE_FAILED',
        `restore failure lost its Ferry code: ${String(failure)}`,
      );
    } finally {
      own.cleanup();
    }
  });

  // Guards against: createEngine leaking the data-directory lock (and the store handle) when
  // restore throws, so no engine can open that directory again in this process.
  it('a failing restore releases the data-directory lock', async () => {
    const own = makeTempDir();
    try {
      const dataDir = await brokenDataDir(own.path);
      assert.ok(tryCreate(dataDir) instanceof Error, 'createEngine should fail on the bad row');
      const fix = new Database(join(dataDir, 'ferry.db'));
      fix
        .prepare(`UPDATE jobs SET proxy = '{"usage":"PRECONFIG","proxyList":[],"bypassList":[]}'`)
        .run();
      fix.close();
      const second = createEngine(testEngineOptions(dataDir)); // throws ENGINE_LOCKED (own pid)
      await second.close();
    } finally {
      own.cleanup();
    }
  });
});

describe('review findings: crash during Complete', () => {
  // Guards against: a crash after Complete's rename but before its record (completed = true)
  // lands leaves a job whose Complete can never succeed again: the temporary file is gone,
  // the final file is whole, and every retry fails with FILE_RENAME_FAILED (job-files.ts
  // renameTransferredFiles does not recognise a rename that already happened).
  it('Complete after a crash between rename and record still acknowledges the job', async () => {
    const own = makeTempDir();
    try {
      const dataDir = join(own.path, 'data');
      const finalName = own.file('done.bin');
      let first = createEngine(testEngineOptions(dataDir));
      let job = first.createJob({ displayName: 'crash-complete', priority: 'FOREGROUND' });
      await job.addFile(server.url('/a.bin'), finalName);
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      const tempName = job.enumFiles()[0]?.tempName ?? '';
      const id = job.id;
      await first.close();
      // The on-disk state a crash leaves right after renameSync + folder fsync in Complete.
      renameSync(tempName, finalName);

      first = createEngine(testEngineOptions(dataDir));
      try {
        job = first.getJob(id);
        assert.equal(job.getState(), 'TRANSFERRED');
        await job.complete(); // observed: throws FILE_RENAME_FAILED, on every retry
        assert.equal(job.getState(), 'ACKNOWLEDGED');
        assert.ok(existsSync(finalName));
      } finally {
        await first.close();
      }
    } finally {
      own.cleanup();
    }
  });
});
