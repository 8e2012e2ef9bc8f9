// Guards against a lost start race: when two CLIs start a background server for the same
// data directory, the loser's server stops on the engine lock, possibly before the winner has
// written server.json; the loser used to fail ("the server it started stopped") instead of
// waiting for the lock holder's record.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startBackgroundServer } from '../../main/cli/background-server.js';
import { killAndWait, tempDir } from './harness.js';

/**
 * A stand-in for the winning engine: it holds `engine.lock` at once and writes its
 * server.json only after `delayMs`, as a server that is still opening its store would.
 */
function fakeLockHolder(dataDir: string, delayMs: number): number {
  const script = `
    const { writeFileSync } = require('node:fs');
    setTimeout(() => {
      writeFileSync(${JSON.stringify(join(dataDir, 'server.json'))},
        JSON.stringify({ pid: process.pid, port: 40404, url: 'http://127.0.0.1:40404/' }));
    }, ${String(delayMs)});
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  assert.ok(child.pid !== undefined);
  return child.pid;
}

describe('startBackgroundServer', () => {
  const pids: number[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const pid of pids) await killAndWait(pid);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('waits for the record of the engine that won the lock instead of failing', async () => {
    const dataDir = await tempDir('race');
    dirs.push(dataDir);
    const holder = fakeLockHolder(dataDir, 2_500);
    pids.push(holder);
    await writeFile(join(dataDir, 'engine.lock'), `${String(holder)}\n`, { mode: 0o600 });

    const record = await startBackgroundServer(dataDir, 0);
    assert.equal(record.pid, holder, "the lock holder's record is used");
    assert.equal(record.port, 40404);
  });

  it('names the lock holder when it never records a server', async () => {
    const dataDir = await tempDir('race-silent');
    dirs.push(dataDir);
    const holder = fakeLockHolder(dataDir, 60_000);
    pids.push(holder);
    await writeFile(join(dataDir, 'engine.lock'), `${String(holder)}\n`, { mode: 0o600 });

    await assert.rejects(startBackgroundServer(dataDir, 0), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as { code?: unknown }).code, 'RPC_UNREACHABLE');
      assert.match(error.message, new RegExp(`pid ${String(holder)}\\b.*no RPC endpoint`));
      return true;
    });
  });
});
