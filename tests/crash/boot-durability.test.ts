// Durability by boot: a checkpoint records written bytes without a sync, and fdatasync runs on
// a long cadence. A restart in the same boot trusts every written byte (the kernel kept them
// through the kill); a restart after a reboot trusts only what was synced. The engine runs in
// a child process killed with SIGKILL; a reboot is simulated by giving the next run another
// boot identity (the page cache cannot really be dropped here, so the test shows that the
// record is lowered and the file truncated to it, and that the download still ends right).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'libsql';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/index.js';
import { spawnJsonLineChild, withTimeout } from '../support/child-process.js';
import type { JsonLineChild } from '../support/child-process.js';
import type {
  EngineChildConfig,
  EngineChildLine,
  EngineChildProgress,
} from '../support/engine-child.js';
import { makeTempDir } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { sha256OfPath, sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { RequestLog, TestFile, TestServer } from '../support/http-server.js';

const MiB = 1024 * 1024;
const CHILD_SCRIPT = 'tests/support/engine-child.ts';
const STEP_TIMEOUT_MS = 30_000;
/** Never syncs in the middle of a file (only its final checkpoint does). */
const NEVER = 600_000;

let server: TestServer;
let dir: TempDir | undefined;
const children = new Set<JsonLineChild<EngineChildLine>>();

before(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  for (const child of children) await child.kill('SIGKILL').catch(() => undefined);
  children.clear();
  dir?.cleanup();
  dir = undefined;
});

after(async () => {
  await server.close();
});

/** The file's record as the store has it (read beside the running engine: WAL). */
interface StoredFile {
  readonly written: number;
  readonly durable: number;
  readonly bootId: string | null;
}

function storedFile(dataDir: string): StoredFile | undefined {
  const db = new Database(join(dataDir, 'ferry.db'), { readonly: true });
  try {
    const row: unknown = db
      .prepare('SELECT bytes_on_disk, bytes_durable, boot_id FROM files')
      .get();
    if (typeof row !== 'object' || row === null) return undefined;
    const { bytes_on_disk, bytes_durable, boot_id } = row as Record<string, unknown>;
    assert.equal(typeof bytes_on_disk, 'number');
    assert.equal(typeof bytes_durable, 'number');
    return {
      written: Number(bytes_on_disk),
      durable: Number(bytes_durable),
      bootId: typeof boot_id === 'string' ? boot_id : null,
    };
  } finally {
    db.close();
  }
}

interface Scenario {
  readonly name: string;
  readonly syncIntervalMs: number;
  /** Kill the first run once the stored record satisfies this. */
  readonly killWhen: (file: StoredFile) => boolean;
}

interface Outcome {
  /** The record at the kill. */
  readonly atKill: StoredFile;
  /** The second run's restored line (the record after the restart's boot check). */
  readonly restored: EngineChildProgress;
  /** The second run's requests. */
  readonly requests: readonly RequestLog[];
}

/** Runs the child in boot A until `killWhen`, kills it, then runs it to the end in `nextBoot`. */
async function killAndRestart(
  scenario: Scenario,
  nextBoot: string,
  path: string,
  file: TestFile,
): Promise<Outcome> {
  dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const localName = dir.file('boot.bin');
  const seed = createEngine({ dataDir, user: 'tester', env: {}, onWarning: () => undefined });
  seed.setSettings({ connectionsPerFile: 1 });
  await seed.close();
  server.setFile(path, file);
  const checkpoint = {
    bytes: 256 * 1024,
    intervalMs: 100,
    syncIntervalMs: scenario.syncIntervalMs,
  };
  const run = (config: EngineChildConfig): JsonLineChild<EngineChildLine> => {
    const child = spawnJsonLineChild<EngineChildLine>(CHILD_SCRIPT, [JSON.stringify(config)]);
    children.add(child);
    return child;
  };

  const first = run({
    dataDir,
    checkpoint,
    bootId: 'boot-A',
    create: { url: server.url(path), localName },
  });
  // Every progress line is a moment to look at the store.
  await first.waitForLine(
    () => {
      const stored = storedFile(dataDir);
      return stored !== undefined && scenario.killWhen(stored);
    },
    `${scenario.name}: the record to reach the kill point`,
    STEP_TIMEOUT_MS,
  );
  const exit = await first.kill('SIGKILL');
  assert.equal(exit.signal, 'SIGKILL', `the first run ended before its kill: ${first.stderr()}`);
  children.delete(first);
  const atKill = storedFile(dataDir);
  assert.ok(atKill !== undefined);
  assert.equal(atKill.bootId, 'boot-A', 'written progress carries the boot it was written in');

  const from = server.requests.length;
  const second = run({ dataDir, checkpoint, bootId: nextBoot });
  const restored = await second.waitForLine(
    (line) => 'state' in line && line.restored === true,
    'the restored line',
    STEP_TIMEOUT_MS,
  );
  assert.ok('state' in restored);
  await second.waitForLine((line) => 'done' in line, 'the second run to finish', STEP_TIMEOUT_MS);
  const done = await withTimeout(second.exited, STEP_TIMEOUT_MS, 'the second run to exit');
  assert.equal(done.code, 0, `the second run exits 0: ${second.stderr()}`);
  children.delete(second);
  assert.equal(sha256OfPath(localName), sha256OfTestFile(file), 'the file is byte-identical');
  return { atKill, restored, requests: server.requests.slice(from) };
}

function testFile(seed: number): TestFile {
  return { body: { size: 8 * MiB, seed }, throttleBytesPerSec: 4 * MiB };
}

describe('durability by boot (SIGKILL, restart in the same boot or after a reboot)', () => {
  it('a restart in the same boot resumes from the written watermark', async () => {
    const { atKill, restored, requests } = await killAndRestart(
      { name: 'same boot', syncIntervalMs: NEVER, killWhen: (f) => f.written >= 2 * MiB },
      'boot-A',
      '/same-boot.bin',
      testFile(1),
    );
    assert.equal(atKill.durable, 0, 'nothing was synced mid-file');
    assert.equal(restored.bytesOnDisk, atKill.written, 'every written byte is trusted');
    assert.equal(requests[0]?.rangeStart, atKill.written, 'the download resumes there');
  });

  it('a restart after a reboot truncates to the durable watermark', async () => {
    const { atKill, restored, requests } = await killAndRestart(
      {
        name: 'new boot',
        syncIntervalMs: 300,
        killWhen: (f) => f.durable >= MiB && f.written >= f.durable + MiB,
      },
      'boot-B',
      '/new-boot.bin',
      testFile(2),
    );
    assert.ok(atKill.durable > 0 && atKill.durable < atKill.written, JSON.stringify(atKill));
    assert.equal(restored.bytesOnDisk, atKill.durable, 'only synced bytes are trusted');
    assert.ok(
      (restored.tempFileSize ?? 0) >= atKill.written,
      'the temporary file still held the unsynced bytes before the run truncated it',
    );
    assert.equal(requests[0]?.rangeStart, atKill.durable, 'the download resumes from there');
  });

  it('a restart after a reboot with nothing synced starts the file over', async () => {
    const { atKill, restored, requests } = await killAndRestart(
      {
        name: 'new boot, nothing synced',
        syncIntervalMs: NEVER,
        killWhen: (f) => f.written >= 2 * MiB,
      },
      'boot-B',
      '/new-boot-unsynced.bin',
      testFile(3),
    );
    assert.equal(atKill.durable, 0);
    assert.equal(restored.bytesOnDisk, 0, 'no byte is trusted');
    assert.equal(requests[0]?.rangeStart, null, 'a plain GET from the start');
  });
});
