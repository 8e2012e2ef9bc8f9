import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFileServer } from '../../../benchmarks/support/file-server.js';
import type { FileServer } from '../../../benchmarks/support/file-server.js';
import { generateFileSync, sha256File } from '../../../benchmarks/support/files.js';
import type { ServedFile } from '../../../benchmarks/support/files.js';
import { createHash } from 'node:crypto';

describe('benchmark file server', () => {
  let dir: string;
  let server: FileServer;
  let file: ServedFile;
  let bytes: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-bench-test-'));
    file = generateFileSync(dir, 'data.bin', 300_000);
    server = await startFileServer({ root: dir, logRequests: true });
    const whole = await fetch(server.url('data.bin'));
    bytes = Buffer.from(await whole.arrayBuffer());
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the whole file with its length, ETag and Accept-Ranges, matching the generated hash', async () => {
    assert.equal(bytes.length, file.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256);
    assert.equal(await sha256File(file.path), file.sha256);
    const head = await fetch(server.url('data.bin'), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(file.size));
    assert.equal(head.headers.get('accept-ranges'), 'bytes');
    assert.match(head.headers.get('etag') ?? '', /^".+"$/);
  });

  it('answers a range with 206, Content-Range and exactly those bytes', async () => {
    const res = await fetch(server.url('data.bin'), { headers: { Range: 'bytes=1000-1999' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 1000-1999/${file.size}`);
    assert.equal(res.headers.get('content-length'), '1000');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes.subarray(1000, 2000));
  });

  it('answers a range past the end with 416 and the size', async () => {
    const res = await fetch(server.url('data.bin'), { headers: { Range: `bytes=${file.size}-` } });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get('content-range'), `bytes */${file.size}`);
    await res.arrayBuffer();
  });

  it('honours If-Range only when the ETag matches', async () => {
    const etag =
      (await fetch(server.url('data.bin'), { method: 'HEAD' })).headers.get('etag') ?? '';
    const same = await fetch(server.url('data.bin'), {
      headers: { Range: 'bytes=0-9', 'If-Range': etag },
    });
    assert.equal(same.status, 206);
    await same.arrayBuffer();
    const other = await fetch(server.url('data.bin'), {
      headers: { Range: 'bytes=0-9', 'If-Range': '"old"' },
    });
    assert.equal(other.status, 200);
    assert.equal((await other.arrayBuffer()).byteLength, file.size);
  });

  it('answers 404 for a missing file and for a path outside its root', async () => {
    assert.equal((await fetch(server.url('missing.bin'))).status, 404);
    assert.equal((await fetch(`${server.origin}/..%2F..%2Fetc%2Fpasswd`)).status, 404);
  });

  it('counts body bytes per path and logs each request', async () => {
    server.resetCounters();
    const res = await fetch(server.url('data.bin'), { headers: { Range: 'bytes=0-4095' } });
    await res.arrayBuffer();
    assert.equal(server.bytesSent('/data.bin'), 4096);
    assert.equal(server.bytesSent(), 4096);
    assert.equal(server.requestCount(), 1);
    const [entry] = server.requests();
    assert.equal(entry?.status, 206);
    assert.equal(entry.range, 'bytes=0-4095');
    assert.equal(entry.bytes, 4096);
  });

  it('paces each connection to its limit (loose bounds: this checks the throttle works, not speed)', async () => {
    server.setThrottle(1_000_000);
    try {
      const started = performance.now();
      const res = await fetch(server.url('data.bin'));
      const body = Buffer.from(await res.arrayBuffer());
      const seconds = (performance.now() - started) / 1000;
      assert.deepEqual(body, bytes);
      // 300 kB at 1 MB/s, less the bucket's initial 64 KiB of credit: about 0.23 s.
      assert.ok(seconds > 0.15, `took ${seconds} s: not throttled`);
      assert.ok(seconds < 2, `took ${seconds} s: far slower than the limit`);
    } finally {
      server.setThrottle(0);
    }
  });
});
