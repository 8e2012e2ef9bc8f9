// Crash safety: the engine runs in a child process that is killed with SIGKILL mid-transfer,
// several times, and restarted on the same data directory each time. The download must still
// end byte-identical to the source, and each kill may cost at most one checkpoint window of
// re-downloaded bytes, because progress is recorded only after the data is flushed (data
// first, then the record) and a restart trusts only recorded bytes (the temporary file is
// truncated to them).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EngineSettings } from '../../app/index.js';
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
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { RequestLog, TestFile, TestServer } from '../support/http-server.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const CHILD_SCRIPT = 'tests/support/engine-child.ts';

/** The checkpoint policy of the engine in the child. */
const CHECKPOINT = { bytes: 1 * MiB, intervalMs: 200 } as const;

/**
 * Bytes a kill may cost beyond one checkpoint window, for data the server counted as sent but
 * the child never recorded for reasons outside the checkpoint policy: what sat in the loopback
 * socket buffers (the server counts bytes handed to its socket, not bytes received), what the
 * child had read but not yet queued, and what arrived while the last checkpoint's datasync
 * was in flight. The throttle keeps all of these to a few tens of KiB; 256 KiB leaves room for
 * a slow datasync on a loaded machine.
 */
const SLACK_PER_KILL = 256 * KiB;

/** Upper bounds on every wait, so a hang fails the test instead of blocking CI. */
const STEP_TIMEOUT_MS = 30_000;

let server: TestServer;
/** Size of every file served, by path (to tell a finished response from a running one). */
const sizes = new Map<string, number>();
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

function isProgress(line: EngineChildLine): line is EngineChildProgress {
  return 'state' in line;
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(2)} MiB`;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** When to kill a run: a test on its progress lines (the restored line never matches). */
interface KillPoint {
  readonly label: string;
  readonly when: (line: EngineChildProgress) => boolean;
}

/** One run of the child: how it started, where it was killed, what it asked the server. */
interface RunReport {
  readonly restored: EngineChildProgress;
  /** The line that triggered the kill; undefined for the run that finished. */
  readonly killedAt: EngineChildProgress | undefined;
  readonly requests: readonly RequestLog[];
}

/** The durable bytes a run started from (its restored line always carries them). */
function startOf(run: RunReport): number {
  const { bytesOnDisk } = run.restored;
  assert.ok(bytesOnDisk !== undefined, 'the restored line has bytesOnDisk');
  return bytesOnDisk;
}

/**
 * Runs the child once per kill point, killing it with SIGKILL when its point is reached, then
 * once more to the end (Complete). Returns one report per run.
 */
async function crashAndResume(
  testDir: TempDir,
  url: string,
  localName: string,
  killPoints: readonly KillPoint[],
  reportIntervalMs: number,
  settings: Partial<EngineSettings> = { connectionsPerFile: 1 },
): Promise<RunReport[]> {
  const dataDir = join(testDir.path, 'data');
  // The child keeps the engine settings stored in its data directory.
  const seed = createEngine({ dataDir, user: 'tester', env: {}, onWarning: () => undefined });
  seed.setSettings(settings);
  await seed.close();
  const runs: RunReport[] = [];
  for (let i = 0; i <= killPoints.length; i++) {
    const point = killPoints[i];
    const config: EngineChildConfig = {
      dataDir,
      checkpoint: CHECKPOINT,
      reportIntervalMs,
      ...(i === 0 ? { create: { url, localName } } : {}),
    };
    const firstRequest = server.requests.length;
    const child = spawnJsonLineChild<EngineChildLine>(CHILD_SCRIPT, [JSON.stringify(config)]);
    children.add(child);
    const restored = await child.waitForLine(
      (line) => isProgress(line) && line.restored === true,
      `run ${i}: the restored line`,
      STEP_TIMEOUT_MS,
    );
    assert.ok(isProgress(restored));
    let killedAt: EngineChildProgress | undefined;
    if (point !== undefined) {
      const line = await child.waitForLine(
        (l) => isProgress(l) && l.restored !== true && point.when(l),
        `run ${i}: ${point.label}`,
        STEP_TIMEOUT_MS,
      );
      assert.ok(isProgress(line));
      killedAt = line;
      const exit = await child.kill('SIGKILL');
      assert.equal(exit.signal, 'SIGKILL', `run ${i} ended before its kill: ${child.stderr()}`);
    } else {
      await child.waitForLine((l) => 'done' in l, `run ${i}: done`, STEP_TIMEOUT_MS);
      const exit = await withTimeout(child.exited, STEP_TIMEOUT_MS, `run ${i} to exit`);
      assert.equal(exit.code, 0, `the last run exits 0: ${child.stderr()}`);
    }
    children.delete(child);
    const fatal = child.lines.find((l) => 'fatal' in l);
    assert.equal(fatal, undefined, `run ${i} failed: ${JSON.stringify(fatal)}`);
    // The server notices a killed client's socket at its next write; wait for that so this
    // run's byte count is final before the next run starts.
    await waitForServerIdle(firstRequest);
    runs.push({ restored, killedAt, requests: server.requests.slice(firstRequest) });
  }
  return runs;
}

/** Waits (bounded) until every request since `from` has ended (completed or cut). */
async function waitForServerIdle(from: number): Promise<void> {
  const deadline = Date.now() + 5000;
  const busy = (): RequestLog[] =>
    server.requests.slice(from).filter((r) => !r.cut && r.bytesSent < expectedBody(r));
  while (busy().length > 0) {
    if (Date.now() > deadline) {
      throw new Error(`server still sending: ${JSON.stringify(busy())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Body bytes a request should get in full: its closed range, else the file from its start. */
function expectedBody(request: RequestLog): number {
  const size = sizes.get(request.path.split('?')[0] ?? '') ?? 0;
  const closed = /^bytes=(\d+)-(\d+)$/.exec(String(request.headers.range));
  if (request.status === 206 && closed !== null) return Number(closed[2]) - Number(closed[1]) + 1;
  return request.status === 206 ? size - (request.rangeStart ?? 0) : size;
}
/** The checks every crash scenario ends with: file, temp files, history. */
async function assertCompleted(
  testDir: TempDir,
  localName: string,
  expectedSha: string,
): Promise<void> {
  assert.ok(existsSync(localName), 'the file is at its local name');
  assert.equal(await sha256OfFile(localName), expectedSha, 'sha256 equals the source');
  const leftovers = readdirSync(testDir.path).filter((name) => name.endsWith('.ferry-part'));
  assert.deepEqual(leftovers, [], 'no temporary file remains');

  const engine = createEngine({
    dataDir: join(testDir.path, 'data'),
    user: 'tester',
    minimumRetryDelayFloor: 0,
    env: {},
    onWarning: () => undefined,
  });
  try {
    assert.deepEqual(engine.enumJobs({ allUsers: true }), [], 'no live job is left');
    const history = engine.history();
    assert.equal(history.length, 1);
    const [info] = history;
    assert.equal(info?.state, 'ACKNOWLEDGED');
    assert.equal(info.errorCount, 0, `no error on the way: ${JSON.stringify(info.error)}`);
  } finally {
    await engine.close();
  }
}

describe('crash and resume (engine in a child process, SIGKILL)', () => {
  it(
    'resumes after 4 kills, byte-identical, re-downloading at most a window per kill',
    {
      timeout: 120_000,
    },
    async () => {
      const size = 48 * MiB;
      const throttle = 8 * MiB;
      const file: TestFile = { body: { size, seed: 48 }, throttleBytesPerSec: throttle };
      server.setFile('/crash.bin', file);
      sizes.set('/crash.bin', size);
      const expectedSha = sha256OfTestFile(file);
      // A checkpoint comes after `bytes` new bytes or `intervalMs`, whichever first; at most,
      // one window of received-but-unrecorded bytes is the larger of the two in bytes.
      const window = Math.max(CHECKPOINT.bytes, (throttle * CHECKPOINT.intervalMs) / 1000);
      const perKill = window + SLACK_PER_KILL;

      const testDir = (dir = makeTempDir('ferry-crash-'));
      const localName = testDir.file('crash.bin');
      const past = (fraction: number): KillPoint => ({
        label: `past ${fraction * 100} %`,
        when: (line) => line.state === 'TRANSFERRING' && line.bytesTransferred >= fraction * size,
      });
      const killPoints: KillPoint[] = [
        // Right after the response is accepted: before the first checkpoint, normally.
        { label: 'at TRANSFERRING', when: (line) => line.state === 'TRANSFERRING' },
        past(0.2),
        past(0.5),
        past(0.8),
      ];
      const runs = await crashAndResume(
        testDir,
        server.url('/crash.bin'),
        localName,
        killPoints,
        50,
      );

      await assertCompleted(testDir, localName, expectedSha);

      // Each run made one request, and it resumed exactly from the record it was restored with.
      for (const [i, run] of runs.entries()) {
        assert.equal(run.requests.length, 1, `run ${i} made one request`);
        const [request] = run.requests;
        assert.ok(request !== undefined);
        const start = startOf(run);
        assert.equal(request.rangeStart ?? 0, start, `run ${i} asks from its recorded bytes`);
        assert.equal(request.status, start > 0 ? 206 : 200);
        // Data first, then the record: the file never holds fewer bytes than recorded.
        const { tempFileSize } = run.restored;
        if (i > 0) {
          assert.equal(run.restored.state, 'QUEUED', `run ${i}: restore re-queued the job`);
          assert.ok(
            tempFileSize !== undefined && tempFileSize !== null && tempFileSize >= start,
            `run ${i}: temp file of ${tempFileSize} bytes holds the ${start} recorded`,
          );
        }
      }
      // Runs after a kill past 20 % (or more) had a checkpoint to resume from.
      for (const run of runs.slice(2)) {
        assert.ok((run.requests[0]?.rangeStart ?? 0) > 0, 'the engine resumed, not restarted');
      }

      // Re-downloaded bytes, in total and per kill (what run i got beyond what run i+1 kept).
      const kills = killPoints.length;
      const redownloaded = server.bytesSent('/crash.bin') - size;
      const limit = kills * perKill;
      const perKillLoss = runs.slice(0, -1).map((run, i) => {
        const next = runs[i + 1];
        assert.ok(next !== undefined);
        const sent = run.requests.reduce((sum, r) => sum + r.bytesSent, 0);
        return sent - (startOf(next) - startOf(run));
      });
      console.log(
        `crash test: ${kills} kills, re-downloaded ${mib(redownloaded)} (limit ${mib(limit)}), sha256 ok`,
      );
      console.log(
        `crash test detail: window ${mib(window)} + slack ${mib(SLACK_PER_KILL)} per kill; ` +
          runs
            .slice(0, -1)
            .map(
              (run, i) =>
                `kill ${i + 1} (${killPoints[i]?.label}) at ${mib(run.killedAt?.bytesTransferred ?? 0)} ` +
                `live, recorded ${mib(startOf(runs[i + 1] ?? run))}, ` +
                `unrecorded on disk ${mib((runs[i + 1]?.restored.tempFileSize ?? 0) - startOf(runs[i + 1] ?? run))}, ` +
                `lost ${mib(perKillLoss[i] ?? 0)}`,
            )
            .join('; '),
      );
      assert.equal(
        perKillLoss.reduce((a, b) => a + b, 0),
        redownloaded,
        'the per-kill losses add up to the total',
      );
      assert.ok(redownloaded >= 0);
      assert.ok(
        redownloaded <= limit,
        `re-downloaded ${redownloaded} bytes, more than ${kills} × ${perKill}`,
      );
    },
  );

  it(
    'resumes a segmented file after kills from the ranges it recorded, byte-identical',
    { timeout: 120_000 },
    async () => {
      const size = 32 * MiB;
      const perConnection = 4 * MiB;
      const connections = 4;
      const file: TestFile = { body: { size, seed: 32 }, throttleBytesPerSec: perConnection };
      server.setFile('/segmented.bin', file);
      sizes.set('/segmented.bin', size);
      const expectedSha = sha256OfTestFile(file);
      const window = Math.max(CHECKPOINT.bytes, (perConnection * CHECKPOINT.intervalMs) / 1000);
      // At most one window per connection per kill, plus what sat in socket buffers.
      const perKill = connections * (window + SLACK_PER_KILL);
      const testDir = (dir = makeTempDir('ferry-crash-'));
      const localName = testDir.file('segmented.bin');
      const past = (fraction: number): KillPoint => ({
        label: `past ${fraction * 100} %`,
        when: (line) => line.state === 'TRANSFERRING' && line.bytesTransferred >= fraction * size,
      });
      const killPoints = [past(0.3), past(0.6)];
      const runs = await crashAndResume(
        testDir,
        server.url('/segmented.bin'),
        localName,
        killPoints,
        50,
        { connectionsPerFile: connections, minSegmentSize: 1 * MiB },
      );
      await assertCompleted(testDir, localName, expectedSha);
      const [first, second] = runs;
      assert.ok(first !== undefined && second !== undefined);
      assert.ok(
        first.requests.filter((r) => r.status === 206).length >= 2,
        'the first run used several ranged connections',
      );
      assert.ok(startOf(second) > 0, 'the second run started from recorded ranges');
      assert.ok(
        second.requests.every((r) => r.status === 206),
        'a resumed segmented file asks only for ranges',
      );
      const redownloaded = server.bytesSent('/segmented.bin') - size;
      const limit = killPoints.length * perKill;
      console.log(
        `crash test (segmented, ${connections} connections): ${killPoints.length} kills, ` +
          `re-downloaded ${mib(redownloaded)} (limit ${mib(limit)}), sha256 ok`,
      );
      assert.ok(redownloaded <= limit, `re-downloaded ${redownloaded}, more than ${limit}`);
    },
  );

  it(
    'restarts from zero after a kill when the server does not support ranges',
    {
      timeout: 60_000,
    },
    async () => {
      const size = 8 * MiB;
      const file: TestFile = {
        body: { size, seed: 8 },
        ranges: false,
        throttleBytesPerSec: 4 * MiB,
      };
      server.setFile('/noranges.bin', file);
      sizes.set('/noranges.bin', size);
      const expectedSha = sha256OfTestFile(file);
      const testDir = (dir = makeTempDir('ferry-crash-'));
      const localName = testDir.file('noranges.bin');
      const atTransferring: KillPoint = {
        label: 'at TRANSFERRING',
        when: (line) => line.state === 'TRANSFERRING',
      };
      const killPoints: KillPoint[] = [
        // In the first few KiB of the first download.
        atTransferring,
        // After some checkpoints, so the next run has recorded bytes to (try to) resume from.
        {
          label: 'past 30 %',
          when: (line) => line.state === 'TRANSFERRING' && line.bytesTransferred >= 0.3 * size,
        },
        // In the first few KiB of the download that restarted from zero.
        atTransferring,
      ];
      const runs = await crashAndResume(
        testDir,
        server.url('/noranges.bin'),
        localName,
        killPoints,
        50,
      );

      await assertCompleted(testDir, localName, expectedSha);

      for (const [i, run] of runs.entries()) {
        assert.equal(run.requests.length, 1, `run ${i} made one request`);
        const [request] = run.requests;
        assert.ok(request !== undefined);
        assert.equal(request.rangeStart ?? 0, startOf(run), `run ${i} asks from its record`);
        assert.equal(request.status, 200, 'the server ignores ranges');
      }
      const [, , third, last] = runs;
      assert.ok(third !== undefined && last !== undefined);
      // The third run had a record to resume from, was refused the range and started over; the
      // record shrank before the file did, so the fourth run starts from the new, smaller record.
      assert.ok(startOf(third) > 0, 'the engine tried to resume after the kill past 30 %');
      assert.ok(startOf(last) < startOf(third), 'the restart lowered the record');
      const finalRequest = last.requests[0];
      assert.equal(finalRequest?.bytesSent, size, 'the last run fetched the whole file');
      assert.equal(finalRequest.cut, false);
      console.log(
        `crash test (no ranges): ${killPoints.length} kills, records at restart ` +
          `${runs.map((run) => mib(startOf(run))).join(', ')}; ` +
          `${mib(server.bytesSent('/noranges.bin'))} sent for a ${mib(size)} file, sha256 ok`,
      );
    },
  );
});
