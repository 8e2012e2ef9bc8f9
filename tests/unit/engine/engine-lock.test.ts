import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FerryError } from '../../../app/index.js';
import { acquireEngineLock } from '../../../main/engine/engine-lock.js';

/** Starts a process that stays alive until killed. */
function startSleeper(): ChildProcess & { pid: number } {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
  assert.ok(child.pid !== undefined, 'child process started');
  return child as ChildProcess & { pid: number };
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  assert.ok(pid !== undefined, 'child process started');
  await once(child, 'exit');
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  return pid;
}

describe('acquireEngineLock', () => {
  let dir = '';
  let lockPath = '';
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-lock-'));
    lockPath = join(dir, 'engine.lock');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the lock with our pid and gives it back on release', () => {
    const lock = acquireEngineLock(dir);
    assert.equal(lock.path, lockPath);
    assert.equal(readFileSync(lockPath, 'utf8'), `${process.pid}\n`);
    lock.release();
    assert.equal(existsSync(lockPath), false);
    // Releasing twice is harmless, and the lock can be taken again.
    lock.release();
    acquireEngineLock(dir).release();
    assert.equal(existsSync(lockPath), false);
  });

  it('refuses a lock held by a live process, naming its pid', () => {
    const child = startSleeper();
    children.push(child);
    writeFileSync(lockPath, `${child.pid}\n`);

    assert.throws(
      () => acquireEngineLock(dir),
      (error: unknown) => {
        assert.ok(error instanceof FerryError);
        assert.equal(error.code, 'ENGINE_LOCKED');
        assert.ok(error.message.includes(`pid ${child.pid}`), error.message);
        assert.ok(error.message.includes(dir), error.message);
        return true;
      },
    );
    // The other engine's lock is left alone.
    assert.equal(readFileSync(lockPath, 'utf8'), `${child.pid}\n`);
  });

  it('takes over a lock left by a dead process', async () => {
    const pid = await deadPid();
    writeFileSync(lockPath, `${pid}\n`);
    const lock = acquireEngineLock(dir);
    assert.equal(readFileSync(lockPath, 'utf8'), `${process.pid}\n`);
    lock.release();
    assert.equal(existsSync(lockPath), false);
  });

  for (const [name, content] of [
    ['empty', ''],
    ['garbage', 'not a pid\n'],
    ['negative', '-1\n'],
    ['zero', '0\n'],
  ] as const) {
    it(`takes over a lock file with ${name} content`, () => {
      writeFileSync(lockPath, content);
      const lock = acquireEngineLock(dir);
      assert.equal(readFileSync(lockPath, 'utf8'), `${process.pid}\n`);
      lock.release();
    });
  }

  // In a container the engine may get the same pid on every start, so a lock naming our own
  // pid is left over from a previous run and must not lock us out.
  it('takes over a lock file naming our own pid', () => {
    writeFileSync(lockPath, `${process.pid}\n`);
    const lock = acquireEngineLock(dir);
    assert.equal(readFileSync(lockPath, 'utf8'), `${process.pid}\n`);
    lock.release();
    assert.equal(existsSync(lockPath), false);
  });

  it('release leaves a lock that another process has taken since', () => {
    const child = startSleeper();
    children.push(child);
    const lock = acquireEngineLock(dir);
    writeFileSync(lockPath, `${child.pid}\n`);
    lock.release();
    assert.equal(readFileSync(lockPath, 'utf8'), `${child.pid}\n`);
  });

  it('refuses again once the live owner is gone, then takes over', async () => {
    const child = startSleeper();
    children.push(child);
    writeFileSync(lockPath, `${child.pid}\n`);
    assert.throws(() => acquireEngineLock(dir), { code: 'ENGINE_LOCKED' });

    child.kill('SIGKILL');
    await once(child, 'exit');
    const lock = acquireEngineLock(dir);
    assert.equal(readFileSync(lockPath, 'utf8'), `${process.pid}\n`);
    lock.release();
  });
});
