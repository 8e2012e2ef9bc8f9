// Guards against a lost start race: when two CLIs start a background server for the same
// data directory, the loser's server stops on the engine lock, possibly before the winner has
// written server.json; the loser used to fail ("the server it started stopped") instead of
// waiting for the lock holder's record.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { startBackgroundServer } from '../../main/cli/background-server.js';
import { spawnJsonLineChild } from '../support/child-process.js';
import type { JsonLineChild } from '../support/child-process.js';
import type { LockHolderLine } from '../support/lock-holder-child.js';
import { tempDir } from './harness.js';

/**
 * A stand-in for the winning engine: it holds the data directory's engine lock at once and
 * writes its server.json only after `delayMs`, as a server that is still opening its store
 * would.
 */
async function fakeLockHolder(
  dataDir: string,
  delayMs: number,
): Promise<JsonLineChild<LockHolderLine>> {
  const child = spawnJsonLineChild<LockHolderLine>('tests/support/lock-holder-child.ts', [
    JSON.stringify({ dataDir, serverRecordAfterMs: delayMs }),
  ]);
  await child.waitForLine((line) => 'held' in line, 'the lock to be held', 15_000);
  return child;
}

describe('startBackgroundServer', () => {
  const holders: JsonLineChild<LockHolderLine>[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const holder of holders) await holder.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('waits for the record of the engine that won the lock instead of failing', async () => {
    const dataDir = await tempDir('race');
    dirs.push(dataDir);
    const holder = await fakeLockHolder(dataDir, 2_500);
    holders.push(holder);

    const record = await startBackgroundServer(dataDir, 0);
    assert.equal(record.pid, holder.pid, "the lock holder's record is used");
    assert.equal(record.port, 40404);
  });

  it('names the lock holder when it never records a server', async () => {
    const dataDir = await tempDir('race-silent');
    dirs.push(dataDir);
    const holder = await fakeLockHolder(dataDir, 60_000);
    holders.push(holder);

    await assert.rejects(startBackgroundServer(dataDir, 0), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as { code?: unknown }).code, 'RPC_UNREACHABLE');
      assert.match(error.message, new RegExp(`pid ${String(holder.pid)}\\b.*no RPC endpoint`));
      return true;
    });
  });
});
