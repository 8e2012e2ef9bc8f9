// One engine per data directory, held by a lock the kernel releases (main/engine/engine-lock.ts),
// seen from outside as users run Ferry: `ferry serve` is SIGKILLed mid-transfer and started
// again at once, 20 times in a row, while the killed process is still there: its parent does
// not reap it, so it stays a zombie whose pid answers kill(pid, 0), as a killed background
// server does when nothing reaps it (the pid-file lock refused those restarts). Every
// start must come up (none refused with ENGINE_LOCKED), every job must be restored with its
// progress and keep going, and every file must end byte-identical. A start right after a
// SIGTERM comes up too (a closing server is waited for). A second engine on the data directory
// of a live server is refused with ENGINE_LOCKED naming the server; the pid file of an earlier
// version naming a live process (a reused pid) does not block a start.
import { after, afterEach, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import type { JobDetails } from '../../app/contract.js';
import type { WebSocketClient } from '../../app/ws-client.js';
import { createEngine } from '../../main/engine/index.js';
import { processPhase } from '../../main/engine/process-phase.js';
import { ensureBuiltCli } from '../support/built-cli.js';
import { REPO_ROOT } from '../support/child-process.js';
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, sleep, testEngineOptions } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { contractClient } from '../server/harness.js';
import { spawnFerryServe } from '../server/serve-process.js';
import type { ServeChild, Serving } from '../server/serve-process.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const RESTARTS = 20;
/**
 * Throttle per request: slow enough that no file can finish within the 20 runs, so every kill
 * lands mid-transfer; lifted for the last run.
 */
const THROTTLE = 256 * KiB;
/** Connections per file, so a job's rate is bounded by the throttle: 2 × 256 KiB/s. */
const CONNECTIONS = 2;
/**
 * Progress each job must make in a run, past what it was restored with, before the kill: at
 * 512 KiB/s it takes at least half a second, more than two checkpoint intervals (200 ms), so
 * every run records progress before it is killed.
 */
const PROGRESS_PER_RUN = 256 * KiB;
/** Upper bound on every wait, so a hang fails the test instead of blocking CI. */
const STEP_MS = 20_000;

/** Two jobs: one with one file, one with two, so a multi-file job is restored too. */
const JOBS = [
  { name: 'single', files: [{ path: '/one.bin', size: 32 * MiB, seed: 901 }] },
  {
    name: 'pair',
    files: [
      { path: '/two-a.bin', size: 24 * MiB, seed: 902 },
      { path: '/two-b.bin', size: 24 * MiB, seed: 903 },
    ],
  },
] as const;

let files: TestServer;
let dir: TempDir;
const servers: ServeChild[] = [];
const unreaped: UnreapedServer[] = [];
const clients: WebSocketClient[] = [];
const sleepers: ChildProcess[] = [];

function testFile(size: number, seed: number, throttled: boolean): TestFile {
  return { body: { size, seed }, ...(throttled ? { throttleBytesPerSec: THROTTLE } : {}) };
}

function serveFiles(throttled: boolean): void {
  for (const job of JOBS) {
    for (const file of job.files)
      files.setFile(file.path, testFile(file.size, file.seed, throttled));
  }
}

before(async () => {
  files = await startTestServer();
  dir = makeTempDir('ferry-restart-');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.kill('SIGKILL').catch(() => undefined);
  for (const server of unreaped.splice(0)) {
    server.kill('SIGKILL');
    await server.reap();
  }
  for (const sleeper of sleepers.splice(0)) sleeper.kill('SIGKILL');
});

after(async () => {
  await files.close();
  dir.cleanup();
});

function serve(dataDir: string): ServeChild {
  const child = spawnFerryServe(['--data-dir', dataDir, '--port', '0']);
  servers.push(child);
  return child;
}

/**
 * A `ferry serve` whose parent never reaps it until told: a shell that starts it in the
 * background and blocks in `read`. Once killed, the server stays a zombie: its pid exists and
 * answers kill(pid, 0), as a killed background server's does when nothing reaps it.
 */
interface UnreapedServer {
  readonly pid: number;
  serving(): Promise<Serving>;
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
  /** Lets the shell reap the server; resolves with the server's exit status once it has. */
  reap(): Promise<number | null>;
}

const SERVING = /^Ferry is serving at (http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]{64}))$/m;

async function serveUnreaped(dataDir: string): Promise<UnreapedServer> {
  ensureBuiltCli();
  const script = '"$@" & pid=$!; echo "server pid $pid"; read _; wait $pid; echo "server exit $?"';
  const shell = spawn(
    'sh',
    [
      '-c',
      script,
      'sh',
      process.execPath,
      join(REPO_ROOT, 'bin', 'ferry.js'),
      '--data-dir',
      dataDir,
      '--port',
      '0',
      'serve',
      '--no-static',
    ],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const closed = new Promise<void>((resolve) => {
    shell.once('close', () => {
      resolve();
    });
  });
  const read = async (pattern: RegExp, what: string): Promise<RegExpExecArray> => {
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      const match = pattern.exec(out);
      if (match !== null) return match;
      if (shell.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${what}; stdout: ${out.slice(-1000)}; stderr: ${err.slice(-2000)}`);
      }
      await sleep(10);
    }
  };
  const pid = Number((await read(/^server pid (\d+)$/m, 'server pid'))[1]);
  let reaped: Promise<number | null> | null = null;
  const server: UnreapedServer = {
    pid,
    async serving() {
      const [, url = '', port = '', token = ''] = await read(SERVING, 'serving line');
      return { url, port: Number(port), token, rpcUrl: `ws://127.0.0.1:${port}/rpc` };
    },
    stderr: () => err,
    kill(signal) {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    },
    reap() {
      reaped ??= (async () => {
        shell.stdin.end('\n');
        await closed;
        const status = /^server exit (\d+)$/m.exec(out)?.[1];
        return status === undefined ? null : Number(status);
      })();
      return reaped;
    },
  };
  unreaped.push(server);
  return server;
}

/** Whether `pid` exists (a zombie does). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function connect(serving: Serving): WebSocketClient {
  const client = contractClient(serving.rpcUrl, serving.token, [] as WebSocket[], false);
  clients.push(client);
  return client;
}

async function until<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${STEP_MS} ms waiting for ${what}`);
    await sleep(20);
  }
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('ferry serve: SIGKILL and restart at once', () => {
  it(
    `${String(RESTARTS)} kills and immediate restarts: every start comes up, every job resumes, every file ends byte-identical`,
    { timeout: 240_000 },
    async (t: TestContext) => {
      const dataDir = join(dir.path, 'kills');
      serveFiles(true);
      let server = await serveUnreaped(dataDir);
      let serving = await server.serving();
      let client = connect(serving);
      await client.invoke('settings.set', { engine: { connectionsPerFile: CONNECTIONS } });

      const ids: string[] = [];
      for (const spec of JOBS) {
        const job = await client.invoke('job.create', {
          displayName: spec.name,
          priority: 'FOREGROUND',
        });
        for (const file of spec.files) {
          await client.invoke('job.addFile', {
            jobId: job.id,
            remoteUrl: files.url(file.path),
            localName: dir.file(`${spec.name}${file.path.replace('/', '-')}`),
          });
        }
        await client.invoke('job.resume', { jobId: job.id });
        ids.push(job.id);
      }
      const jobs = async (): Promise<JobDetails[]> =>
        Promise.all(ids.map((jobId) => client.invoke('job.get', { jobId })));

      /** Per restart: ms from the kill to the serving line, and whether the start had to wait. */
      const starts: { readonly ms: number; readonly waited: boolean }[] = [];
      let restored = ids.map(() => 0);
      /** Bytes by which a restore fell behind the previous restore (a record going back). */
      const setbacks: number[] = [];
      for (let run = 0; run < RESTARTS; run++) {
        // Each job moves on past what it was restored with, and is mid-transfer, then the kill.
        const floor = restored;
        const now = await until(`run ${String(run)}: progress on every job`, async () => {
          const current = await jobs();
          for (const job of current) {
            assert.ok(
              !['ERROR', 'TRANSIENT_ERROR', 'CANCELLED'].includes(job.state),
              `run ${String(run)}: ${job.displayName} is ${job.state}: ${JSON.stringify(job.error)}`,
            );
          }
          return current.every(
            (job, i) =>
              job.state === 'TRANSFERRING' &&
              job.progress.bytesTransferred >= (floor[i] ?? 0) + PROGRESS_PER_RUN,
          )
            ? current
            : null;
        });
        for (const job of now) {
          assert.ok(
            job.progress.bytesTransferred < (job.progress.bytesTotal ?? Infinity),
            `run ${String(run)}: ${job.displayName} is still transferring when killed`,
          );
        }
        // The run after the last kill goes to the end unthrottled (requests in flight keep
        // their throttle, so this is set before the kill); the validators stay the same.
        if (run === RESTARTS - 1) serveFiles(false);

        // Kill, and start the next server at once; the killed one stays a zombie meanwhile.
        client.close();
        server.kill('SIGKILL');
        const killed = server;
        const killedAt = performance.now();
        server = await serveUnreaped(dataDir);
        serving = await server.serving();
        starts.push({
          ms: performance.now() - killedAt,
          waited: server.stderr().includes('Waiting for the Ferry engine'),
        });
        assert.ok(
          exists(killed.pid),
          'the killed server was still there when the next one came up',
        );
        if (process.platform === 'linux') assert.equal(processPhase(killed.pid), 'exiting');
        assert.doesNotMatch(server.stderr(), /ENGINE_LOCKED/);
        assert.equal(await killed.reap(), 128 + 9, 'the previous server died of SIGKILL');
        client = connect(serving);

        // Every job is back, resumable, with the progress it had recorded: never from zero.
        const back = await jobs();
        for (const [i, job] of back.entries()) {
          assert.ok(
            job.progress.bytesTransferred > 0,
            `restart ${String(run + 1)}: ${job.displayName} restored from zero`,
          );
          assert.ok(
            ['QUEUED', 'CONNECTING', 'TRANSFERRING'].includes(job.state),
            `restart ${String(run + 1)}: ${job.displayName} is ${job.state}`,
          );
          // Reported, not asserted: what a restore trusts is the transfer layer's rule.
          const lost = (restored[i] ?? 0) - job.progress.bytesTransferred;
          if (lost > 0) setbacks.push(lost);
        }
        restored = back.map((job) => job.progress.bytesTransferred);
      }
      assert.equal(starts.length, RESTARTS, 'every restart came up');
      const total = starts.reduce((sum, s) => sum + s.ms, 0);
      t.diagnostic(
        `${String(RESTARTS)} restarts: ${starts.map((s) => s.ms.toFixed(0)).join(', ')} ms ` +
          `from the kill to the next serving line (mean ${(total / RESTARTS).toFixed(0)} ms, ` +
          `max ${Math.max(...starts.map((s) => s.ms)).toFixed(0)} ms); ` +
          `${String(starts.filter((s) => s.waited).length)} waited for the killed one to exit; ` +
          `restores behind the previous one: ${setbacks.length === 0 ? 'none' : `${setbacks.join(', ')} bytes`}`,
      );

      await until('every job TRANSFERRED', async () => {
        const current = await jobs();
        for (const job of current) assert.notEqual(job.state, 'ERROR', JSON.stringify(job.error));
        return current.every((job) => job.state === 'TRANSFERRED') ? current : null;
      });
      for (const jobId of ids) {
        const completed = await client.invoke('job.complete', { jobId });
        assert.equal(completed.job.state, 'ACKNOWLEDGED');
      }
      for (const spec of JOBS) {
        for (const file of spec.files) {
          assert.equal(
            sha256Of(dir.file(`${spec.name}${file.path.replace('/', '-')}`)),
            sha256OfTestFile(testFile(file.size, file.seed, false)),
            `${spec.name} ${file.path} is byte-identical`,
          );
        }
      }
      server.kill('SIGINT');
      assert.equal(await server.reap(), 0, server.stderr());
    },
  );

  it('SIGTERM mid-transfer and a start at once: the start waits for the closing server, then comes up', async () => {
    const dataDir = join(dir.path, 'sigterm');
    serveFiles(true);
    const first = serve(dataDir);
    const serving = await first.serving(STEP_MS);
    const client = connect(serving);
    const job = await client.invoke('job.create', { displayName: 'term', priority: 'FOREGROUND' });
    await client.invoke('job.addFile', {
      jobId: job.id,
      remoteUrl: files.url('/one.bin'),
      localName: dir.file('term.bin'),
    });
    await client.invoke('job.resume', { jobId: job.id });
    await until('some bytes', async () => {
      const now = await client.invoke('job.get', { jobId: job.id });
      return now.progress.bytesTransferred > 0 ? now : null;
    });

    first.process.kill('SIGTERM');
    const second = serve(dataDir);
    const again = await second.serving(STEP_MS);
    assert.deepEqual(await first.exited, { code: 0, signal: null }, first.stderr());
    assert.doesNotMatch(second.stderr(), /ENGINE_LOCKED/);
    const restored = await connect(again).invoke('job.get', { jobId: job.id });
    assert.ok(restored.progress.bytesTransferred > 0, 'the job resumes with its progress');
  });

  it('a second engine on the data directory of a live server is refused with ENGINE_LOCKED', async () => {
    const dataDir = join(dir.path, 'second');
    const server = serve(dataDir);
    const serving = await server.serving(STEP_MS);

    assert.throws(
      () => createEngine(testEngineOptions(dataDir)),
      (error: unknown) => {
        assert.equal((error as { code?: unknown }).code, 'ENGINE_LOCKED');
        assert.match(String(error), new RegExp(`pid ${String(server.pid)}\\b`));
        return true;
      },
    );
    const intruder = serve(dataDir);
    const ended = await intruder.exited;
    assert.equal(ended.code, 5, 'exit code of an unreachable server');
    assert.match(intruder.stderr(), /\(ENGINE_LOCKED\)/);
    assert.match(intruder.stderr(), new RegExp(`pid ${String(server.pid)}\\b`));
    assert.ok(intruder.stderr().includes(serving.url.replace(/#token=.*/, '')), 'names its URL');

    // The first one still serves.
    const client = connect(serving);
    assert.equal((await client.invoke('engine.info', {})).pid, server.pid);
  });

  it('the pid file of an earlier version naming a live process does not block a start', async () => {
    const dataDir = join(dir.path, 'legacy');
    mkdirSync(dataDir, { recursive: true });
    // A reused pid: a live process that has nothing to do with Ferry.
    const reused = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
      stdio: 'ignore',
    });
    sleepers.push(reused);
    assert.ok(reused.pid !== undefined);
    writeFileSync(join(dataDir, 'engine.lock'), `${String(reused.pid)}\n`);

    const server = serve(dataDir);
    const serving = await server.serving(STEP_MS);
    assert.equal((await connect(serving).invoke('engine.info', {})).pid, server.pid);
    assert.equal(existsSync(join(dataDir, 'engine.lock')), false, 'the old pid file is gone');
  });
});
