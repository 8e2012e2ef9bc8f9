// The fault matrix (issue 13's acceptance): every network fault ends in the state, code and
// context that docs/errors.md documents for it, within its time, with nothing at the file's
// final name unless the file recovered, and a recovered file byte-identical. The expectations
// are read from the table in docs/errors.md, so the documentation and the test cannot drift;
// this file only knows how to stage each fault.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JOB_STATES } from '../../app/index.js';
import type { JobState } from '../../app/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import {
  readTestFileRange,
  sha256OfPath,
  sha256OfTestFile,
  startTestServer,
} from '../support/http-server.js';
import type { TestFile, TestFileBody, TestServer } from '../support/http-server.js';
import { startRawServer } from '../support/raw-server.js';
import type { RawServer } from '../support/raw-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** One row of the matrix in docs/errors.md. */
interface Row {
  readonly id: string;
  readonly fault: string;
  readonly connections: number;
  readonly state: JobState;
  /** The error's code (or, for TRANSFERRED, the code logged on the way); null for "—". */
  readonly code: string | null;
  readonly context: string | null;
  readonly withinMs: number;
}

/** Reads the fault matrix table of docs/errors.md. */
function readMatrix(): Row[] {
  const text = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');
  const section = text.split(/^## Fault matrix$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const [id = '', fault = '', connections = '', state = '', code = '', context = '', within] =
      cells;
    const seconds = /^(\d+(?:\.\d+)?) s$/.exec(within ?? '')?.[1];
    assert.ok(seconds !== undefined, `a time in seconds for ${line}`);
    assert.ok((JOB_STATES as readonly string[]).includes(state), `a job state in ${line}`);
    rows.push({
      id: id.replaceAll('`', ''),
      fault,
      connections: Number(connections),
      state: state as JobState,
      code: code === '—' ? null : code,
      context: context === '—' ? null : context,
      withinMs: Number(seconds) * 1000,
    });
  }
  return rows;
}

/** How one fault is staged: the URL to fetch and, for a file that recovers, what it must hold. */
interface Staged {
  readonly url: string;
  /** The bytes the completed file must hold (TRANSFERRED rows). */
  readonly expected?: Buffer | TestFileBody;
  /** Job settings of its own, made before Resume. */
  readonly setup?: (job: Job) => Promise<void>;
  /** Runs right after Resume (a suspend and a change halfway). */
  readonly meanwhile?: (job: Job) => Promise<void>;
  /** Checks after the end state is reached. */
  readonly check?: () => void;
}

let server: TestServer;
let raw: RawServer;
let dir: TempDir;
let engine: Engine;

/** Suspends the job once some of it is on disk, then runs `change`, then resumes it. */
async function suspendHalfway(job: Job, change: () => void): Promise<void> {
  await waitFor(
    () => job.getProgress().bytesTransferred >= 256 * KiB,
    `${job.getDisplayName()} under way`,
    3000,
  );
  await job.suspend();
  change();
  await job.resume();
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  return port;
}

/** A generated body of `size` bytes, distinct per seed. */
function body(size: number, seed: number): { readonly size: number; readonly seed: number } {
  return { size, seed };
}

/** Serves `file` at `/<id>.bin` and returns its URL. */
function serve(id: string, file: TestFile): string {
  server.setFile(`/${id}.bin`, file);
  return server.url(`/${id}.bin`);
}

const FILE = body(MiB, 1);

/** How each documented case is staged, by its id. */
const STAGES: Readonly<Record<string, (id: string) => Promise<Staged> | Staged>> = {
  'reset-mid-body': (id) => ({ url: serve(id, { body: FILE, resetAfterBytes: 64 * KiB }) }),
  'reset-once': (id) => ({
    url: serve(id, { body: FILE, resetAfterBytes: 64 * KiB, resetAfterBytesTimes: 1 }),
    expected: FILE,
  }),
  '503-storm': (id) => ({
    url: serve(id, { body: FILE, failFirst: { count: 1000, status: 503, retryAfter: '1' } }),
  }),
  '503-then-ok': (id) => ({
    url: serve(id, { body: FILE, failFirst: { count: 2, status: 503, retryAfter: '1' } }),
    expected: FILE,
    check: () => {
      const times = server.requests.filter((r) => r.path === `/${id}.bin`).map((r) => r.time);
      assert.equal(times.length, 3, 'two 503 and the file');
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
        assert.ok(gap >= 950, `Retry-After: 1 was honoured (${gap} ms between requests)`);
      }
    },
  }),
  'storm-no-progress': (id) => ({
    url: serve(id, { body: FILE, failFirst: { count: 1000, status: 503, retryAfter: '1' } }),
    setup: (job) => job.setNoProgressTimeout(1),
  }),
  'slow-headers': (id) => ({ url: serve(id, { body: FILE, headerDelayMs: 3000 }) }),
  'changed-etag': (id) => {
    const before = body(2 * MiB, 2);
    const after = body(2 * MiB, 3);
    const path = `/${id}.bin`;
    return {
      url: serve(id, { body: before, throttleBytesPerSec: 2 * MiB }),
      expected: after,
      meanwhile: (job) =>
        suspendHalfway(job, () => {
          server.setFile(path, { body: after, throttleBytesPerSec: 8 * MiB });
        }),
    };
  },
  'no-validators': (id) => {
    const before = body(2 * MiB, 4);
    const after = body(2 * MiB, 5);
    const path = `/${id}.bin`;
    const none = { etag: false, lastModified: false } as const;
    return {
      url: serve(id, { body: before, throttleBytesPerSec: 2 * MiB, ...none }),
      expected: after,
      meanwhile: (job) =>
        suspendHalfway(job, () => {
          server.setFile(path, { body: after, throttleBytesPerSec: 8 * MiB, ...none });
        }),
    };
  },
  'long-length-fin': (id) => ({ url: serve(id, { body: FILE, lieLength: FILE.size + MiB }) }),
  'long-length-stall': (id) => ({
    url: serve(id, { body: FILE, lieLength: FILE.size + MiB, lieThenStall: true }),
  }),
  'short-length-fin': (id) => ({
    url: serve(id, { body: FILE, lieLength: FILE.size / 2 }),
    expected: readTestFileRange(FILE, 0, FILE.size / 2),
  }),
  'short-length-stall': (id) => ({
    url: serve(id, { body: FILE, lieLength: FILE.size / 2, lieThenStall: true }),
    expected: readTestFileRange(FILE, 0, FILE.size / 2),
  }),
  'short-length-split': (id) => {
    const whole = body(2 * MiB, 6);
    return { url: serve(id, { body: whole, lieLength: MiB }) };
  },
  'ranges-ignored-1': (id) => {
    const file = body(2 * MiB, 7);
    return {
      url: serve(id, { body: file, ranges: false, throttleBytesPerSec: 2 * MiB }),
      expected: file,
      meanwhile: (job) => suspendHalfway(job, () => undefined),
    };
  },
  'ranges-ignored-8': (id) => {
    const file = body(2 * MiB, 8);
    return {
      url: serve(id, { body: file, ranges: false, throttleBytesPerSec: 8 * MiB }),
      expected: file,
      check: () => {
        const requests = server.requests.filter((r) => r.path === `/${id}.bin`).length;
        assert.ok(requests <= 2, `${requests} requests (one, plus at most one probe)`);
      },
    };
  },
  'redirect-loop': (id) => {
    server.redirect(`/${id}-a`, `/${id}-b`);
    server.redirect(`/${id}-b`, `/${id}-a`);
    return { url: server.url(`/${id}-a`) };
  },
  'status-401': (id) => ({ url: serve(id, { body: FILE, status: 401 }) }),
  'status-403': (id) => ({ url: serve(id, { body: FILE, status: 403 }) }),
  'status-404': (id) => ({ url: server.url(`/${id}.bin`) }),
  'status-410': (id) => ({ url: serve(id, { body: FILE, status: 410 }) }),
  refused: async () => ({ url: `http://127.0.0.1:${String(await closedPort())}/file.bin` }),
  'tls-to-plain': (id) => ({ url: serve(id, { body: FILE }).replace('http:', 'https:') }),
  'malformed-head': () => ({ url: raw.url('/malformed.bin') }),
};

before(async () => {
  server = await startTestServer();
  raw = await startRawServer((socket) => {
    socket.end(
      'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n' +
        'Content-Disposition: attachment; filename="evil\x01\x1b[31mname"\r\n\r\n' +
        'x'.repeat(16),
    );
  });
  dir = makeTempDir('ferry-fault-matrix-');
  engine = startEngine(dir, {
    limits: { connectTimeoutMs: 1000, headersTimeoutMs: 1000, bodyIdleTimeoutMs: 1000 },
  });
});

after(async () => {
  // Each part may be missing when `before` failed half way.
  await (engine as Engine | undefined)?.close();
  await (raw as RawServer | undefined)?.close();
  await (server as TestServer | undefined)?.close();
  (dir as TempDir | undefined)?.cleanup();
});

const MATRIX = readMatrix();

describe('the fault matrix of docs/errors.md', () => {
  it('documents every staged fault, and stages every documented one', () => {
    assert.deepEqual(MATRIX.map((row) => row.id).sort(), Object.keys(STAGES).sort());
  });

  for (const row of MATRIX) {
    it(`${row.id}: ${row.fault} → ${row.state}${row.code === null ? '' : ` ${row.code}`}`, async () => {
      const stage = STAGES[row.id];
      assert.ok(stage !== undefined, `no staging for ${row.id}`);
      engine.setSettings({ connectionsPerFile: row.connections, minSegmentSize: 256 * KiB });
      const staged = await stage(row.id);
      const recovers = row.state === 'TRANSFERRED';
      const job = engine.createJob({ displayName: row.id, priority: 'FOREGROUND' });
      // A failing case must rest in its first failure; a recovering one retries at once (or
      // when the server's Retry-After says).
      await job.setMinimumRetryDelay(recovers ? 0 : 600);
      const local = dir.file(`${row.id}.bin`);
      await job.addFile(staged.url, local);
      await staged.setup?.(job);
      const began = performance.now();
      await job.resume();
      await staged.meanwhile?.(job);
      await waitForState(job, row.state, row.withinMs);
      const took = performance.now() - began;
      assert.ok(took <= row.withinMs, `${row.id} took ${Math.round(took)} ms`);
      assert.equal(existsSync(local), false, 'nothing at the final name before Complete');
      staged.check?.();

      if (recovers) {
        if (row.code === null) assert.equal(job.getErrorCount(), 0, 'no error on the way');
        else {
          const seen = job.listErrors().map((e) => `${e.code}/${e.context}`);
          assert.ok(seen.includes(`${row.code}/${row.context ?? ''}`), `logged: ${String(seen)}`);
        }
        assert.equal(job.getError(), null, 'a recovered job shows no error');
        await job.complete();
        const expected = staged.expected;
        assert.ok(expected !== undefined, `${row.id} names the bytes it must end with`);
        const want = Buffer.isBuffer(expected)
          ? sha256OfTestFile(expected)
          : sha256OfTestFile(expected);
        assert.equal(sha256OfPath(local), want, 'the completed file is byte-identical');
        return;
      }

      const error = job.getError();
      assert.ok(error !== null, `${row.id} ended with an error`);
      assert.equal(error.code, row.code, error.message);
      assert.equal(error.context, row.context, error.message);
      assert.match(error.message, /127\.0\.0\.1/, 'the message names the server');
      assert.doesNotMatch(error.message, /[\r\n]/, 'the message is one line');
      assert.equal(existsSync(local), false, 'nothing at the final name');
      await job.cancel();
      assert.equal(existsSync(local), false, 'nothing at the final name after Cancel');
      const left = readdirSync(dir.path).filter((name) => name.includes(row.id));
      assert.deepEqual(left, [], 'Cancel leaves no temporary file');
    });
  }
});
