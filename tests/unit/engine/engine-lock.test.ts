// The one-engine-per-data-directory lock, against real processes: held by the OS for the
// holder's lifetime, refused to another live engine, released by the kernel when the holder
// is killed, waited for while its holder is exiting, and never blocked by a recorded pid (a
// stale holder record or the pid file of earlier versions naming a live, unrelated process).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FerryError } from '../../../app/index.js';
import { ENGINE_HOLDER_FILE, readEngineHolder } from '../../../main/engine/engine-holder.js';
import { ENGINE_LOCK_FILE, acquireEngineLock } from '../../../main/engine/engine-lock.js';
import { REPO_ROOT, spawnJsonLineChild } from '../../support/child-process.js';
import type { JsonLineChild } from '../../support/child-process.js';
import type { LockHolderConfig, LockHolderLine } from '../../support/lock-holder-child.js';

const HOLDER_SCRIPT = 'tests/support/lock-holder-child.ts';
const STEP_MS = 15_000;

/** A process that stays alive until killed: the "reused pid" of a stale record. */
function startSleeper(): ChildProcess & { pid: number } {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  assert.ok(child.pid !== undefined, 'child process started');
  return child as ChildProcess & { pid: number };
}

function isLocked(error: unknown, ...fragments: readonly string[]): boolean {
  assert.ok(error instanceof FerryError, String(error));
  assert.equal(error.code, 'ENGINE_LOCKED');
  for (const fragment of fragments) assert.ok(error.message.includes(fragment), error.message);
  return true;
}

describe('acquireEngineLock', () => {
  let dir = '';
  const children: ChildProcess[] = [];
  const holders: JsonLineChild<LockHolderLine>[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-lock-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const holder of holders.splice(0)) await holder.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function holdInChild(config: Omit<LockHolderConfig, 'dataDir'> = {}) {
    const holder = spawnJsonLineChild<LockHolderLine>(HOLDER_SCRIPT, [
      JSON.stringify({ dataDir: dir, ...config }),
    ]);
    holders.push(holder);
    await holder.waitForLine((line) => 'held' in line, 'the lock to be held', STEP_MS);
    return holder;
  }

  it('records its holder while held and gives the lock back on release', () => {
    const lock = acquireEngineLock(dir);
    assert.equal(lock.path, join(dir, ENGINE_LOCK_FILE));
    assert.deepEqual(
      { ...readEngineHolder(dir), since: undefined },
      { pid: process.pid, state: 'running', since: undefined },
    );
    lock.closing();
    assert.equal(readEngineHolder(dir)?.state, 'closing');
    lock.release();
    assert.equal(existsSync(join(dir, ENGINE_HOLDER_FILE)), false);
    // Releasing twice is harmless, and the lock can be taken again.
    lock.release();
    acquireEngineLock(dir).release();
  });

  it('refuses a second engine in this process', () => {
    const lock = acquireEngineLock(dir);
    try {
      assert.throws(
        () => acquireEngineLock(dir),
        (error) => isLocked(error, dir),
      );
    } finally {
      lock.release();
    }
  });

  it('refuses at once a lock held by another live process, naming its pid', async () => {
    const holder = await holdInChild();
    const waited: string[] = [];
    assert.throws(
      () => acquireEngineLock(dir, { onWaiting: (message) => waited.push(message) }),
      (error) => isLocked(error, `pid ${String(holder.pid)}`, dir),
    );
    assert.deepEqual(waited, [], 'a live holder is not waited for');
    assert.equal(readEngineHolder(dir)?.pid, holder.pid, "the holder's record is left alone");
  });

  it('is free as soon as its holder is killed with SIGKILL', async () => {
    const holder = await holdInChild();
    holder.process.kill('SIGKILL');
    // No wait for the exit: a start right after the kill waits for the kernel, never fails.
    const lock = acquireEngineLock(dir);
    assert.equal(readEngineHolder(dir)?.pid, process.pid);
    lock.release();
  });

  it('waits for a holder that is closing, says so after a second, then takes the lock', async () => {
    const holder = await holdInChild({ closeAfterMs: 1_300 });
    const waited: string[] = [];
    const lock = acquireEngineLock(dir, { onWaiting: (message) => waited.push(message) });
    try {
      assert.equal(waited.length, 1, 'one message');
      assert.match(waited[0] ?? '', new RegExp(`pid ${String(holder.pid)}\\b.*exiting`));
      // This thread was blocked while waiting: the holder's lines are read only now.
      await holder.waitForLine((line) => 'released' in line, 'the release', STEP_MS);
    } finally {
      lock.release();
    }
  });

  it('gives up on a holder that does not finish exiting within the bound', async () => {
    const holder = await holdInChild({ closeAfterMs: 60_000 });
    assert.throws(
      () => acquireEngineLock(dir, { exitWaitMs: 300 }),
      (error) => isLocked(error, `pid ${String(holder.pid)}`, 'has not let go'),
    );
  });

  it('refuses, after a short grace, a lock held by a process that recorded nothing', async () => {
    // A plain SQLite connection holding the lock file (someone's sqlite3 shell, say).
    const script = `
      const Database = require('libsql');
      const db = new Database(${JSON.stringify(join(dir, ENGINE_LOCK_FILE))}, { timeout: 0 });
      db.exec('BEGIN EXCLUSIVE');
      console.log('held');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const waited: string[] = [];
    assert.throws(
      () => acquireEngineLock(dir, { onWaiting: (message) => waited.push(message) }),
      (error) => isLocked(error, `Another Ferry engine is using data directory ${dir}`),
    );
    assert.equal(waited.length, 1, 'told once while waiting');
  });

  it('is not blocked by the pid file of an earlier version naming a live process', () => {
    const reused = startSleeper();
    children.push(reused);
    writeFileSync(join(dir, 'engine.lock'), `${String(reused.pid)}\n`);
    writeFileSync(join(dir, `engine.lock.${String(reused.pid)}`), `${String(reused.pid)}\n`);
    const lock = acquireEngineLock(dir);
    try {
      assert.equal(existsSync(join(dir, 'engine.lock')), false, 'the old pid file is removed');
      assert.equal(existsSync(join(dir, `engine.lock.${String(reused.pid)}`)), false);
    } finally {
      lock.release();
    }
  });

  it('is not blocked by a stale holder record naming a live process', () => {
    const reused = startSleeper();
    children.push(reused);
    const stale = { pid: reused.pid, state: 'running', since: new Date(0).toISOString() };
    writeFileSync(join(dir, ENGINE_HOLDER_FILE), JSON.stringify(stale));
    const lock = acquireEngineLock(dir);
    assert.equal(readEngineHolder(dir)?.pid, process.pid);
    lock.release();
    assert.equal(existsSync(join(dir, ENGINE_HOLDER_FILE)), false);
  });

  it('reports a lock file it cannot use as a store failure, not as locked', () => {
    writeFileSync(
      join(dir, ENGINE_LOCK_FILE),
      'not a database, but long enough to be read '.repeat(4),
    );
    assert.throws(
      () => acquireEngineLock(dir),
      (error) => {
        assert.ok(error instanceof FerryError);
        assert.equal(error.code, 'STORE_FAILED');
        assert.ok(error.message.includes(ENGINE_LOCK_FILE), error.message);
        return true;
      },
    );
    assert.ok(readFileSync(join(dir, ENGINE_LOCK_FILE), 'utf8').startsWith('not a database'));
  });
});
