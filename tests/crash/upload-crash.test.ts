// Crash safety of an upload job: the engine runs in a child process that is killed with
// SIGKILL mid-upload, twice, and restarted on the same data directory. The upload must resume
// in the same session from the offset the server acknowledged (not from zero, and without
// sending again what the server holds), and end byte-identical on the server.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
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
import { startTestUploadServer } from '../support/upload-server.js';
import type { TestUploadServer } from '../support/upload-server.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const CHILD_SCRIPT = 'tests/support/engine-child.ts';
const FRAGMENT = 256 * KiB;
const SIZE = 4 * MiB + 4321;
/** Slow enough that each run is caught mid-upload, fast enough for a short test (~2 s a run). */
const SPEED_LIMIT = 2 * MiB;
const STEP_TIMEOUT_MS = 30_000;

let dir: TempDir;
let server: TestUploadServer;
const children = new Set<JsonLineChild<EngineChildLine>>();

before(async () => {
  dir = makeTempDir('ferry-upload-crash-');
  server = await startTestUploadServer(join(dir.path, 'server'));
});

afterEach(async () => {
  for (const child of children) await child.kill('SIGKILL').catch(() => undefined);
  children.clear();
});

after(async () => {
  await server.close();
  dir.cleanup();
});

function isProgress(line: EngineChildLine): line is EngineChildProgress {
  return 'state' in line;
}

describe('an upload job killed with SIGKILL mid-upload', () => {
  it('resumes from the server’s acknowledged offset in the same session, byte-identical', async (t) => {
    const dataDir = join(dir.path, 'data');
    const seed = createEngine({ dataDir, user: 'tester', env: {}, onWarning: () => undefined });
    seed.setSettings({ speedLimit: SPEED_LIMIT });
    await seed.close();
    const bytes = randomBytes(SIZE);
    const source = dir.file('source.bin');
    writeFileSync(source, bytes);

    const [firstKill, secondKill] = [1 * MiB, 2.5 * MiB];
    const killAt = [firstKill, secondKill];
    const restored: number[] = [];
    for (let run = 0; run <= killAt.length; run++) {
      const config: EngineChildConfig = {
        dataDir,
        checkpoint: { bytes: MiB, intervalMs: 100 },
        reportIntervalMs: 10,
        uploadFragmentSize: FRAGMENT,
        ...(run === 0
          ? { create: { url: server.url('crash/source.bin'), localName: source, type: 'UPLOAD' } }
          : {}),
      };
      const child = spawnJsonLineChild<EngineChildLine>(CHILD_SCRIPT, [JSON.stringify(config)]);
      children.add(child);
      const first = await child.waitForLine(
        (line) => isProgress(line) && line.restored === true,
        `run ${String(run)}: the restored line`,
        STEP_TIMEOUT_MS,
      );
      assert.ok(isProgress(first) && first.bytesOnDisk !== undefined);
      restored.push(first.bytesOnDisk);
      const point = killAt[run];
      if (point !== undefined) {
        await child.waitForLine(
          (l) => isProgress(l) && l.restored !== true && l.bytesTransferred >= point,
          `run ${String(run)}: ${String(point)} bytes sent`,
          STEP_TIMEOUT_MS,
        );
        const exit = await child.kill('SIGKILL');
        assert.equal(exit.signal, 'SIGKILL', `run ${String(run)} ended early: ${child.stderr()}`);
      } else {
        await child.waitForLine((l) => 'done' in l, 'the last run: done', STEP_TIMEOUT_MS);
        const exit = await withTimeout(child.exited, STEP_TIMEOUT_MS, 'the last run to exit');
        assert.equal(exit.code, 0, child.stderr());
      }
      children.delete(child);
      const fatal = child.lines.find((l) => 'fatal' in l);
      assert.equal(fatal, undefined, JSON.stringify(fatal));
    }

    assert.ok(
      readFileSync(join(dir.path, 'server', 'crash', 'source.bin')).equals(bytes),
      'the server holds the file, byte-identical',
    );
    // Each restart began from what the server had acknowledged (recorded before the kill).
    assert.equal(restored[0], 0);
    assert.ok((restored[1] ?? 0) >= firstKill - FRAGMENT, `run 1 restored ${String(restored[1])}`);
    assert.ok((restored[2] ?? 0) >= secondKill - FRAGMENT, `run 2 restored ${String(restored[2])}`);
    // No byte the server held was sent twice beyond the resume probes: at most one fragment
    // per kill over the file's size (a new session would have re-sent megabytes).
    const received = server.bytesReceived();
    const extra = received - SIZE;
    assert.ok(extra >= 0, `${String(received)} bytes received`);
    assert.ok(
      extra <= killAt.length * FRAGMENT,
      `${String(extra)} bytes beyond the file's size, more than ${String(killAt.length)} fragments`,
    );
    t.diagnostic(
      `${String(received)} bytes received for ${String(SIZE)} (+${String(extra)}) over ${String(killAt.length)} kills`,
    );
  });
});
