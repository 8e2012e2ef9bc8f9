// The build's staleness check and lock (scripts/build/freshness.mjs), on a temporary tree.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { clearStamp, isFresh, withBuildLock, writeStamp } from '../../scripts/build/freshness.mjs';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'ferry-freshness-'));
  roots.push(root);
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'dist', 'out'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.ts'), 'a');
  writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'b');
  writeFileSync(join(root, 'dist', 'out', 'x.mjs'), 'x');
  // Inputs written a minute ago, so a stamp taken now is newer.
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(root, 'src', 'a.ts'), past, past);
  utimesSync(join(root, 'src', 'deep', 'b.ts'), past, past);
  return root;
}

const target = { name: 'out', inputs: ['src'], outputs: ['dist/out/x.mjs'] };

describe('isFresh', () => {
  it('is stale without a stamp, fresh once stamped', () => {
    const root = tree();
    assert.equal(isFresh(root, target), false);
    writeStamp(root, target, Date.now());
    assert.equal(isFresh(root, target), true);
  });

  it('is stale when an input, however deep, changed after the build started', () => {
    const root = tree();
    const startedAt = Date.now() - 10_000;
    writeStamp(root, target, startedAt);
    assert.equal(isFresh(root, target), true);
    const during = new Date(startedAt + 1000);
    utimesSync(join(root, 'src', 'deep', 'b.ts'), during, during);
    assert.equal(isFresh(root, target), false);
  });

  it('is stale when an output is missing or the stamp was cleared', () => {
    const root = tree();
    writeStamp(root, target, Date.now());
    clearStamp(root, target);
    assert.equal(isFresh(root, target), false);
    writeStamp(root, target, Date.now());
    rmSync(join(root, 'dist', 'out', 'x.mjs'));
    assert.equal(isFresh(root, target), false);
  });
});

describe('withBuildLock', () => {
  it('runs one build at a time', async () => {
    const root = tree();
    const events: string[] = [];
    let releaseFirst = (): void => undefined;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted = (): void => undefined;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    const first = withBuildLock(root, async () => {
      events.push('first start');
      firstStarted();
      await firstHolds;
      events.push('first end');
    });
    await started;
    const second = withBuildLock(root, () => {
      events.push('second');
      return Promise.resolve();
    });
    // The second waits on the lock (it polls every 100 ms): let it try at least once.
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.deepEqual(events, ['first start']);
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(events, ['first start', 'first end', 'second']);
  });

  it('takes over a lock left by a process that died', async () => {
    const root = tree();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const lock = join(root, 'dist', '.build', 'lock');
    mkdirSync(lock, { recursive: true });
    writeFileSync(join(lock, 'pid'), dead.stdout.toString());
    const value = await withBuildLock(root, () => Promise.resolve('built'), { timeoutMs: 5000 });
    assert.equal(value, 'built');
  });
});
