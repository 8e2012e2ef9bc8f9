// An engine opened on a store edited by hand: a corrupt row or setting refuses to start with
// STORE_FAILED naming what is corrupt, and leaves the data directory free for the next try.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hasErrorCode } from '../../app/index.js';
import Database from 'libsql';
import { createEngine } from '../../main/engine/index.js';
import { openDatabase } from '../../main/engine/store/database.js';
import { makeTempDir, startEngine, testEngineOptions } from '../support/engine-harness.js';

const dir = makeTempDir();
after(() => {
  dir.cleanup();
});

/** Runs SQL on the engine's closed store, as a user with the sqlite3 shell would. */
function editStore(sql: string): void {
  const db = openDatabase(join(dir.path, 'data', 'ferry.db'));
  db.exec(sql);
  db.close();
}

/** Asserts that starting the engine fails with STORE_FAILED mentioning `part`. */
function assertRefused(part: string): void {
  assert.throws(
    () => startEngine(dir),
    (error: unknown) =>
      hasErrorCode(error, 'STORE_FAILED') && error instanceof Error && error.message.includes(part),
  );
}

describe('engine on a store corrupted by hand', () => {
  it('a corrupt job row or setting is STORE_FAILED naming it, and the lock is released', async () => {
    const engine = startEngine(dir);
    const job = engine.createJob({ displayName: 'kept' });
    engine.setSettings({ maxConcurrentJobs: 5 });
    await engine.close();

    editStore(`UPDATE jobs SET priority = 'URGENT' WHERE id = '${job.getId()}'`);
    assertRefused(`job ${job.getId()}: priority`);
    // Refused again for the same reason, not ENGINE_LOCKED: the first try let go of the lock.
    assertRefused(`job ${job.getId()}: priority`);

    editStore(`UPDATE jobs SET priority = 'HIGH' WHERE id = '${job.getId()}'`);
    editStore(`UPDATE settings SET value = '{"maxConcurrentJobs":-1}' WHERE key = 'engine'`);
    assertRefused('setting "engine": maxConcurrentJobs');
    assertRefused('setting "engine": maxConcurrentJobs');

    editStore(
      `UPDATE settings SET value = '{"maxConcurrentJobs":2,"retired":true}' WHERE key = 'engine'`,
    );
    const reopened = startEngine(dir);
    try {
      assert.equal(reopened.getSettings().maxConcurrentJobs, 2);
      assert.equal(reopened.getJob(job.getId()).getPriority(), 'HIGH');
    } finally {
      await reopened.close();
    }
  });
});

// Found in review: the restore path (createEngine -> JobManager.restore -> JobRepo.loadJobs).
describe('engine start-up on a row that cannot be read back', () => {
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
