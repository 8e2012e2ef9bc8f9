// Every error row of the engine's mapping produces the right state, context and code;
// TRANSIENT_ERROR retries and recovers; the no-progress timeout turns it into ERROR.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, mkdirSync } from 'node:fs';
import type { ErrorContext, FerryErrorCode, JobState } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir, { limits: { headersTimeoutMs: 300, bodyIdleTimeoutMs: 300 } });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function failingJob(file: TestFile, retryDelay = 600) {
  n++;
  server.setFile(`/f${n}`, file);
  const job = engine.createJob({ displayName: `fail-${n}` });
  await job.addFile(server.url(`/f${n}`), dir.file(`f${n}.bin`));
  await job.setMinimumRetryDelay(retryDelay);
  await job.resume();
  return job;
}

const body = Buffer.alloc(64 * 1024, 1);

const rows: {
  name: string;
  file: TestFile;
  state: JobState;
  context: ErrorContext;
  code: FerryErrorCode;
  httpStatus: number | null;
}[] = [
  {
    name: '404',
    file: { body, status: 404 },
    state: 'ERROR',
    context: 'REMOTE_FILE',
    code: 'HTTP_NOT_FOUND',
    httpStatus: 404,
  },
  {
    name: '410',
    file: { body, status: 410 },
    state: 'ERROR',
    context: 'REMOTE_FILE',
    code: 'HTTP_NOT_FOUND',
    httpStatus: 410,
  },
  {
    name: '401',
    file: { body, status: 401 },
    state: 'ERROR',
    context: 'REMOTE_FILE',
    code: 'HTTP_ACCESS_DENIED',
    httpStatus: 401,
  },
  {
    name: '403',
    file: { body, status: 403 },
    state: 'ERROR',
    context: 'REMOTE_FILE',
    code: 'HTTP_ACCESS_DENIED',
    httpStatus: 403,
  },
  {
    name: '400',
    file: { body, status: 400 },
    state: 'ERROR',
    context: 'REMOTE_FILE',
    code: 'HTTP_CLIENT_ERROR',
    httpStatus: 400,
  },
  {
    name: '408',
    file: { body, status: 408 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'HTTP_REQUEST_TIMEOUT',
    httpStatus: 408,
  },
  {
    name: '429',
    file: { body, status: 429 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'HTTP_TOO_MANY_REQUESTS',
    httpStatus: 429,
  },
  {
    name: '500',
    file: { body, status: 500 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'HTTP_SERVER_ERROR',
    httpStatus: 500,
  },
  {
    name: '503',
    file: { body, status: 503 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'HTTP_SERVER_ERROR',
    httpStatus: 503,
  },
  {
    name: 'reset mid-body',
    file: { body, dropAfterBytes: 1000 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'HTTP_LENGTH_MISMATCH',
    httpStatus: null,
  },
  {
    name: 'truncated body (Content-Length lies)',
    file: { body, lieLength: body.length + 500 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'HTTP_LENGTH_MISMATCH',
    httpStatus: null,
  },
  {
    name: 'slow headers (timeout)',
    file: { body, headerDelayMs: 5000 },
    state: 'TRANSIENT_ERROR',
    context: 'GENERAL_TRANSPORT',
    code: 'NET_TIMEOUT',
    httpStatus: null,
  },
];

describe('error mapping', () => {
  for (const row of rows) {
    it(`${row.name} → ${row.state} ${row.context} ${row.code}`, async () => {
      const job = await failingJob(row.file);
      await waitForState(job, row.state);
      const error = job.getError();
      assert.ok(error !== null);
      assert.equal(error.context, row.context);
      assert.equal(error.code, row.code, error.message);
      assert.equal(error.httpStatus, row.httpStatus);
      assert.equal(error.fileIndex, 0);
      assert.equal(error.protocol, 'http');
      assert.ok(error.message.length > 10);
      assert.equal(job.getErrorCount(), 1);
      assert.equal(job.listErrors().length, 1);
      await job.cancel();
    });
  }

  it('connection refused → TRANSIENT_ERROR NET_CONNECTION_REFUSED', async () => {
    const closed = await startTestServer();
    const url = closed.url('/x');
    await closed.close();
    const job = engine.createJob({ displayName: 'refused' });
    await job.addFile(url, dir.file('refused.bin'));
    await job.setMinimumRetryDelay(600);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.equal(job.getError()?.code, 'NET_CONNECTION_REFUSED');
    assert.equal(job.getError()?.sysCode, 'ECONNREFUSED');
    await job.cancel();
  });

  it('redirect loop → ERROR HTTP_REDIRECT_LOOP', async () => {
    server.redirect('/loop-a', '/loop-b');
    server.redirect('/loop-b', '/loop-a');
    const job = engine.createJob({ displayName: 'loop' });
    await job.addFile(server.url('/loop-a'), dir.file('loop.bin'));
    await job.resume();
    await waitForState(job, 'ERROR');
    assert.equal(job.getError()?.code, 'HTTP_REDIRECT_LOOP');
    await job.cancel();
  });

  it('a vanished destination folder → ERROR LOCAL_FILE', async () => {
    const folder = dir.file('vanishing');
    mkdirSync(folder);
    server.setFile('/ok.bin', { body });
    const job = engine.createJob({ displayName: 'vanished' });
    await job.addFile(server.url('/ok.bin'), `${folder}/ok.bin`);
    rmSync(folder, { recursive: true });
    await job.resume();
    await waitForState(job, 'ERROR');
    assert.equal(job.getError()?.context, 'LOCAL_FILE');
    assert.equal(job.getError()?.code, 'DISK_PATH_INVALID');
    // Fix the cause, Resume, and it goes through.
    mkdirSync(folder);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.cancel();
  });
});

describe('retry and no-progress timeout', () => {
  it('retries TRANSIENT_ERROR after the minimum retry delay and recovers', async () => {
    const job = await failingJob({ body, failFirst: { count: 2, status: 503 } }, 0.05);
    await waitForState(job, 'TRANSFERRED');
    assert.equal(job.getErrorCount(), 2);
    await job.cancel();
  });

  it('honours Retry-After when it asks for longer than the retry delay', async () => {
    n++;
    server.setFile(`/f${n}`, { body, failFirst: { count: 1, status: 503, retryAfter: '1' } });
    const path = `/f${n}`;
    const job = engine.createJob({ displayName: 'retry-after' });
    await job.addFile(server.url(path), dir.file(`ra.bin`));
    await job.setMinimumRetryDelay(0.05);
    server.reset();
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    const times = server.requests.filter((r) => r.path === path).map((r) => r.time);
    assert.equal(times.length, 2);
    const [first, second] = times as [number, number];
    assert.ok(second - first >= 950, `retried after ${second - first} ms`);
    await job.cancel();
  });

  it('goes to ERROR when no progress is made for the no-progress timeout', async () => {
    n++;
    server.setFile(`/f${n}`, { body, status: 503 });
    const job = engine.createJob({ displayName: 'no-progress' });
    await job.addFile(server.url(`/f${n}`), dir.file(`np.bin`));
    await job.setMinimumRetryDelay(0.05);
    await job.setNoProgressTimeout(0.4);
    const started = Date.now();
    await job.resume();
    await waitForState(job, 'ERROR');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 350, `ERROR after ${elapsed} ms`);
    assert.ok(job.getErrorCount() >= 2, 'it retried before giving up');
    assert.equal(job.getError()?.code, 'HTTP_SERVER_ERROR');
    await job.cancel();
  });

  it('a no-progress timeout of 0 makes the first transient error final', async () => {
    n++;
    server.setFile(`/f${n}`, { body, status: 503 });
    const job = engine.createJob({ displayName: 'no-progress-0' });
    await job.addFile(server.url(`/f${n}`), dir.file(`np0.bin`));
    await job.setNoProgressTimeout(0);
    await job.resume();
    await waitForState(job, 'ERROR');
    assert.equal(job.getErrorCount(), 1);
    await job.cancel();
  });

  it('a retry delay longer than the no-progress timeout gives up at the timeout', async () => {
    n++;
    server.setFile(`/f${n}`, { body, status: 503 });
    const job = engine.createJob({ displayName: 'delay-over-timeout' });
    await job.addFile(server.url(`/f${n}`), dir.file(`dot.bin`));
    await job.setMinimumRetryDelay(600);
    await job.setNoProgressTimeout(0.2);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    await waitForState(job, 'ERROR', 3000);
    assert.equal(job.getErrorCount(), 1);
    await job.cancel();
  });

  it('Resume on TRANSIENT_ERROR retries at once', async () => {
    const job = await failingJob({ body, failFirst: { count: 1, status: 503 } }, 600);
    await waitForState(job, 'TRANSIENT_ERROR');
    await job.resume();
    await waitFor(() => job.getState() === 'TRANSFERRED', 'transfer after Resume', 3000);
    await job.cancel();
  });
});
