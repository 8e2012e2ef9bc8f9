import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_LAST_MODIFIED,
  readTestFileRange,
  sha256OfTestFile,
  startTestServer,
  writeTestFile,
} from '../../support/http-server.js';
import type { TestFile, TestServer } from '../../support/http-server.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** GET `url` and read the whole body. */
async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  return { res, body };
}

describe('test file content', () => {
  it('produces any range of generated content consistently with the whole', () => {
    const body = { size: 10_001, seed: 42 };
    const whole = readTestFileRange(body, 0, body.size);
    assert.equal(whole.length, body.size);
    for (const [start, end] of [
      [0, 0],
      [1, 7],
      [3, 4],
      [4095, 8193],
      [9_998, 10_001],
    ] as const) {
      assert.deepEqual(readTestFileRange(body, start, end), whole.subarray(start, end));
    }
    assert.equal(sha256OfTestFile({ body }), sha256(whole));
    assert.equal(sha256OfTestFile(body, 5, 500), sha256(whole.subarray(5, 500)));
    assert.notDeepEqual(readTestFileRange({ size: 64, seed: 43 }, 0, 64), whole.subarray(0, 64));
    assert.throws(() => readTestFileRange(body, 0, body.size + 1), RangeError);
  });

  it('writes a test file to disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-test-file-'));
    try {
      const file: TestFile = { body: { size: 3 * 1024 * 1024 + 5, seed: 9 } };
      await writeTestFile(file, join(dir, 'out.bin'));
      assert.equal(sha256(await readFile(join(dir, 'out.bin'))), sha256OfTestFile(file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('startTestServer', () => {
  let server: TestServer;
  const text = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('serves a full GET with validators and the right sha256', async () => {
    const file: TestFile = { body: { size: 300_000, seed: 1 } };
    server.setFile('/full.bin', file);
    server.reset();
    const { res, body } = await get(server.url('/full.bin'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '300000');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(res.headers.get('last-modified'), DEFAULT_LAST_MODIFIED);
    assert.match(res.headers.get('etag') ?? '', /^"[^"]+"$/);
    assert.equal(sha256(body), sha256OfTestFile(file));
    assert.equal(server.bytesSent('/full.bin'), 300_000);
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.path, r.status, r.rangeStart, r.cut]),
      [['GET', '/full.bin', 200, null, false]],
    );
  });

  it('answers single ranges with 206 and unsatisfiable ones with 416', async () => {
    server.setFile('/text', { body: text, contentDisposition: 'attachment; filename="t.txt"' });
    server.reset();
    const middle = await get(server.url('/text'), { Range: 'bytes=10-19' });
    assert.equal(middle.res.status, 206);
    assert.equal(middle.res.headers.get('content-range'), `bytes 10-19/${text.length}`);
    assert.equal(middle.res.headers.get('content-disposition'), 'attachment; filename="t.txt"');
    assert.equal(middle.body.toString(), 'abcdefghij');
    const open = await get(server.url('/text?x=1'), { Range: 'bytes=30-' });
    assert.equal(open.body.toString(), 'uvwxyz');
    const suffix = await get(server.url('/text'), { Range: 'bytes=-3' });
    assert.equal(suffix.res.headers.get('content-range'), `bytes 33-35/${text.length}`);
    assert.equal(suffix.body.toString(), 'xyz');
    const beyond = await get(server.url('/text'), { Range: 'bytes=36-' });
    assert.equal(beyond.res.status, 416);
    assert.equal(beyond.res.headers.get('content-range'), `bytes */${text.length}`);
    assert.deepEqual(
      server.requests.map((r) => [r.status, r.rangeStart, r.bytesSent]),
      [
        [206, 10, 10],
        [206, 30, 6],
        [206, 33, 3],
        [416, 36, 0],
      ],
    );
    assert.equal(server.bytesSent('/text'), 19);
  });

  it('sends the full body when If-Range does not match, and a range when it does', async () => {
    server.setFile('/text', { body: text, etag: '"v1"' });
    const stale = await get(server.url('/text'), { Range: 'bytes=5-', 'If-Range': '"v0"' });
    assert.equal(stale.res.status, 200);
    assert.deepEqual(stale.body, text);
    const weak = await get(server.url('/text'), { Range: 'bytes=5-', 'If-Range': 'W/"v1"' });
    assert.equal(weak.res.status, 200);
    const fresh = await get(server.url('/text'), { Range: 'bytes=5-', 'If-Range': '"v1"' });
    assert.equal(fresh.res.status, 206);
    const dated = await get(server.url('/text'), {
      Range: 'bytes=5-',
      'If-Range': DEFAULT_LAST_MODIFIED,
    });
    assert.equal(dated.res.status, 206);
    const oldDate = await get(server.url('/text'), {
      Range: 'bytes=5-',
      'If-Range': 'Tue, 31 Dec 2024 00:00:00 GMT',
    });
    assert.equal(oldDate.res.status, 200);
  });

  it('ignores Range when ranges are disabled', async () => {
    server.setFile('/norange', { body: text, ranges: false, etag: false, lastModified: false });
    const { res, body } = await get(server.url('/norange'), { Range: 'bytes=5-9' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('accept-ranges'), null);
    assert.equal(res.headers.get('etag'), null);
    assert.equal(res.headers.get('last-modified'), null);
    assert.deepEqual(body, text);
  });

  it('fails the first requests with a status and Retry-After', async () => {
    const started = Date.now();
    server.setFile('/flaky', { body: text, failFirst: { count: 2, status: 503, retryAfter: '1' } });
    for (let i = 0; i < 2; i++) {
      const { res } = await get(server.url('/flaky'));
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
    }
    const { res, body } = await get(server.url('/flaky'));
    assert.equal(res.status, 200);
    assert.deepEqual(body, text);
    const times = server.requests.filter((r) => r.path === '/flaky').map((r) => r.time);
    assert.equal(times.length, 3);
    assert.ok(times.every((time) => time >= started && time <= Date.now()));
    server.reset();
    assert.equal((await get(server.url('/flaky'))).res.status, 503);
  });

  it('drops the connection mid-body the requested number of times', async () => {
    const file: TestFile = {
      body: { size: 200_000, seed: 5 },
      dropAfterBytes: 70_000,
      dropAfterBytesTimes: 1,
    };
    server.setFile('/drop', file);
    server.reset();
    const res = await fetch(server.url('/drop'));
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer());
    const resumed = await get(server.url('/drop'), { Range: 'bytes=70000-' });
    assert.equal(resumed.res.status, 206);
    assert.equal(sha256(resumed.body), sha256OfTestFile(file, 70_000));
    assert.deepEqual(
      server.requests.map((r) => [r.bytesSent, r.cut]),
      [
        [70_000, true],
        [130_000, false],
      ],
    );
    assert.equal(server.bytesSent('/drop'), 200_000);
  });

  it('truncates the body when Content-Length lies', async () => {
    server.setFile('/liar', { body: text, lieLength: text.length + 10 });
    const res = await fetch(server.url('/liar'));
    assert.equal(res.headers.get('content-length'), String(text.length + 10));
    await assert.rejects(res.arrayBuffer());
  });

  it('streams without Content-Length when asked', async () => {
    server.setFile('/chunked', { body: text, sendLength: false });
    const { res, body } = await get(server.url('/chunked'));
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    assert.deepEqual(body, text);
  });

  it('throttles the body', async () => {
    server.setFile('/slow', { body: { size: 100_000, seed: 2 }, throttleBytesPerSec: 200_000 });
    const started = performance.now();
    const { body } = await get(server.url('/slow'));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(body.length, 100_000);
    assert.ok(seconds >= 0.35, `took ${seconds.toFixed(3)} s`);
  });

  it('stops a throttled body promptly when the client aborts', async () => {
    server.setFile('/slower', { body: { size: 1_000_000, seed: 2 }, throttleBytesPerSec: 100_000 });
    server.reset();
    const controller = new AbortController();
    const res = await fetch(server.url('/slower'), { signal: controller.signal });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    await assert.rejects(reader?.read() ?? Promise.reject(new Error('no body')));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const sent = server.bytesSent('/slower');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(server.bytesSent('/slower'), sent);
    assert.ok(sent < 100_000, `sent ${sent}`);
    assert.equal(server.requests[0]?.cut, true);
  });

  it('delays headers', async () => {
    server.setFile('/late', { body: text, headerDelayMs: 150 });
    const started = performance.now();
    await get(server.url('/late'));
    assert.ok(performance.now() - started >= 140);
  });

  it('follows redirect chains and detects loops', async () => {
    server.setFile('/target', { body: text });
    server.redirect('/r1', '/r2', 301);
    server.redirect('/r2', server.url('/target'), 307);
    const manual = await get(server.url('/r1'));
    assert.equal(manual.res.status, 301);
    assert.equal(manual.res.headers.get('location'), '/r2');
    const followed = await fetch(server.url('/r1'));
    assert.equal(followed.status, 200);
    assert.equal(followed.url, server.url('/target'));
    assert.deepEqual(Buffer.from(await followed.arrayBuffer()), text);

    server.redirect('/loop-a', '/loop-b');
    server.redirect('/loop-b', '/loop-a');
    await assert.rejects(fetch(server.url('/loop-a')));
  });

  it('answers 404 for unknown paths and fixed statuses for failing files', async () => {
    assert.equal((await get(server.url('/missing'))).res.status, 404);
    server.setFile('/gone', { body: text, status: 410 });
    assert.equal((await get(server.url('/gone'))).res.status, 410);
    server.remove('/gone');
    assert.equal((await get(server.url('/gone'))).res.status, 404);
  });

  it('answers HEAD with headers only', async () => {
    server.setFile('/text', { body: text });
    server.reset();
    const res = await fetch(server.url('/text'), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(text.length));
    assert.equal((await res.arrayBuffer()).byteLength, 0);
    const ranged = await fetch(server.url('/text'), {
      method: 'HEAD',
      headers: { Range: 'bytes=1-2' },
    });
    assert.equal(ranged.status, 206);
    assert.equal(server.bytesSent(), 0);
  });

  it('changes the ETag when setFile replaces the content', async () => {
    server.setFile('/changing', { body: Buffer.from('first version') });
    const first = (await get(server.url('/changing'))).res.headers.get('etag');
    server.setFile('/changing', { body: Buffer.from('second version') });
    const second = await get(server.url('/changing'), {
      Range: 'bytes=0-',
      'If-Range': first ?? '',
    });
    assert.notEqual(second.res.headers.get('etag'), first);
    assert.equal(second.res.status, 200);
    assert.equal(second.body.toString(), 'second version');
    server.setFile('/changing', { body: { size: 10, seed: 1 } });
    const third = (await get(server.url('/changing'))).res.headers.get('etag');
    server.setFile('/changing', { body: { size: 10, seed: 2 } });
    assert.notEqual((await get(server.url('/changing'))).res.headers.get('etag'), third);
  });

  it('streams a middle range of a generated 8 MiB file correctly', async () => {
    const file: TestFile = { body: { size: 8 * 1024 * 1024, seed: 77 } };
    server.setFile('/big.bin', file);
    const start = 3 * 1024 * 1024 + 3;
    const end = 6 * 1024 * 1024 + 1;
    const { res, body } = await get(server.url('/big.bin'), { Range: `bytes=${start}-${end - 1}` });
    assert.equal(res.status, 206);
    assert.equal(body.length, end - start);
    assert.equal(sha256(body), sha256OfTestFile(file, start, end));
    const whole = await get(server.url('/big.bin'));
    assert.equal(sha256(whole.body), sha256OfTestFile(file));
  });
});

describe('http-server-main', () => {
  it('serves a configured file from a child process until SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-server-main-'));
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        files: { '/a.bin': { body: { size: 1000, seed: 4 } }, '/t': { body: { text: 'hi' } } },
        redirects: { '/r': { to: '/t' } },
      }),
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../support/http-server-main.ts'), config],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const first = await lines.next();
      const { origin } = JSON.parse(String(first.value)) as { origin: string };
      assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${origin}/a.bin`);
      assert.equal(
        sha256(Buffer.from(await res.arrayBuffer())),
        sha256OfTestFile({ size: 1000, seed: 4 }),
      );
      assert.equal(await (await fetch(`${origin}/r`)).text(), 'hi');
      child.kill('SIGTERM');
      const last = await lines.next();
      assert.deepEqual(JSON.parse(String(last.value)), {
        closed: true,
        requests: 3,
        bytesSent: 1002,
      });
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
