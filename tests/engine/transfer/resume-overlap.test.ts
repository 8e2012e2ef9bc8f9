// Resuming a file whose server gives no validator (no ETag, no Last-Modified): the resume asks
// for 64 KiB before the first missing byte too and compares them with the disk, over one
// connection and for every resumed gap of a segmented file; a difference restarts the file.
// Guards against: a server that changed a file in place (same size, no validators) got the
// file resumed into a mix of old and new bytes, ending TRANSFERRED with a wrong file.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, writeSync, ftruncateSync } from 'node:fs';
import { DEFAULT_PROXY_SETTINGS } from '../../../app/index.js';
import { createDispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import { runTransfer } from '../../../main/engine/transfer/index.js';
import { RESUME_OVERLAP_BYTES } from '../../../main/engine/transfer/http/resume-overlap.js';
import type { FileTransferRequest } from '../../../main/engine/transfer/types.js';
import { readTestFileRange, sha256OfTestFile, startTestServer } from '../../support/http-server.js';
import type { TestFileBody, TestServer } from '../../support/http-server.js';
import { Targets, makeRequest, makeScratch, sha256OfPath } from './transfer-harness.js';
import type { Scratch } from './transfer-harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const OLD: TestFileBody = { size: 3 * MiB + 123, seed: 31 };
/** The same size as OLD: only the bytes tell them apart. */
const NEW: TestFileBody = { size: 3 * MiB + 123, seed: 32 };
const NO_VALIDATORS = { etag: false, lastModified: false } as const;

let server: TestServer;
let pool: DispatcherPool;
let scratch: Scratch;
let targets: Targets;

before(async () => {
  server = await startTestServer();
  pool = createDispatcherPool({ connectTimeoutMs: 2000, env: {} });
  scratch = makeScratch('ferry-resume-overlap-');
  targets = new Targets(scratch);
});

after(async () => {
  await pool.close();
  await server.close();
  scratch.cleanup();
});

afterEach(() => {
  targets.assertNoViolations();
});

function request(path: string, extra: Partial<FileTransferRequest>): FileTransferRequest {
  return makeRequest({
    remoteUrl: server.url(path),
    tempPath: extra.tempPath ?? '',
    connectionFor: (url) => pool.connectionFor(url, DEFAULT_PROXY_SETTINGS),
    ...extra,
  });
}

/** Writes `spans` of `body` into a file of `size` bytes at `path` (holes elsewhere). */
function writeSpans(path: string, body: TestFileBody, spans: [number, number][], size: number) {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (const [start, end] of spans)
      writeSync(fd, readTestFileRange(body, start, end), 0, end - start, start);
  } finally {
    closeSync(fd);
  }
}

const SEGMENTATION = { connections: () => 4, minSegmentSize: 256 * KiB, stallTimeoutMs: 3000 };

describe('resume without a validator', () => {
  it('over one connection: re-reads 64 KiB before the offset and resumes when they match', async () => {
    server.setFile('/same.bin', { body: OLD, ...NO_VALIDATORS });
    server.reset();
    const { tempPath, rec } = targets.next();
    const offset = MiB + 17;
    writeSpans(tempPath, OLD, [[0, offset]], offset);
    await runTransfer(
      request('/same.bin', { tempPath, offset, totalBytes: OLD.size, validator: null }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(OLD));
    assert.deepEqual(
      server.requests.map((r) => [r.status, r.headers.range, r.headers['if-range']]),
      [[206, `bytes=${offset - RESUME_OVERLAP_BYTES}-`, undefined]],
    );
    assert.equal(server.bytesSent('/same.bin'), OLD.size - offset + RESUME_OVERLAP_BYTES);
    assert.deepEqual(
      rec.starts().map((s) => [s.offset, s.restarted]),
      [[offset, false]],
    );
  });

  it('over one connection: restarts from zero when the file changed at the same size', async () => {
    server.setFile('/changed.bin', { body: NEW, ...NO_VALIDATORS });
    server.reset();
    const { tempPath, rec } = targets.next();
    const offset = 2 * MiB;
    writeSpans(tempPath, OLD, [[0, offset]], offset);
    await runTransfer(
      request('/changed.bin', { tempPath, offset, totalBytes: OLD.size, validator: null }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(NEW), 'the new file, not a mix');
    assert.deepEqual(
      server.requests.map((r) => [r.status, r.headers.range]),
      [
        [206, `bytes=${offset - RESUME_OVERLAP_BYTES}-`],
        [200, undefined],
      ],
    );
    const first = rec.events[0];
    assert.ok(first?.kind === 'start');
    assert.equal(first.start.restarted, true);
    assert.equal(first.sizeOnDisk, offset, 'the record is reset before the file');
  });

  it('over one connection: a prefix under 64 KiB is compared whole against a plain GET', async () => {
    server.setFile('/small-prefix.bin', { body: OLD, ...NO_VALIDATORS });
    server.reset();
    const { tempPath, rec } = targets.next();
    const offset = 10 * KiB;
    writeSpans(tempPath, OLD, [[0, offset]], offset);
    await runTransfer(
      request('/small-prefix.bin', { tempPath, offset, totalBytes: OLD.size, validator: null }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(OLD));
    assert.deepEqual(
      rec.starts().map((s) => [s.offset, s.restarted]),
      [[offset, false]],
    );
  });

  it('a segmented file: every resumed gap is checked, and the file resumes when they match', async () => {
    server.setFile('/seg-same.bin', { body: OLD, ...NO_VALIDATORS });
    server.reset();
    const { tempPath, rec } = targets.next();
    const spans: [number, number][] = [
      [0, MiB],
      [2 * MiB, 2 * MiB + 512 * KiB],
    ];
    writeSpans(tempPath, OLD, spans, OLD.size);
    await runTransfer(
      request('/seg-same.bin', {
        tempPath,
        offset: 0,
        totalBytes: OLD.size,
        validator: null,
        segments: spans,
        segmentation: SEGMENTATION,
      }),
      rec.callbacks,
    );
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(OLD));
    const starts = server.requests.map((r) => r.rangeStart);
    assert.ok(starts.includes(MiB - RESUME_OVERLAP_BYTES), `first gap checked: ${String(starts)}`);
    assert.ok(
      starts.includes(2 * MiB + 512 * KiB - RESUME_OVERLAP_BYTES),
      `second gap checked: ${String(starts)}`,
    );
    assert.ok(!starts.includes(0), 'nothing restarted');
    assert.equal(rec.starts()[0]?.restarted, false);
  });

  it('a segmented file: a change seen at a later gap restarts the whole file', async () => {
    // The bytes before the first gap still match (the change is further on): only the second
    // gap's overlap can tell.
    const mixed = Buffer.concat([
      readTestFileRange(OLD, 0, 2 * MiB),
      readTestFileRange(NEW, 2 * MiB, NEW.size),
    ]);
    server.setFile('/seg-changed.bin', { body: mixed, ...NO_VALIDATORS });
    server.reset();
    const { tempPath, rec } = targets.next();
    const spans: [number, number][] = [
      [0, MiB],
      [2 * MiB, 2 * MiB + 512 * KiB],
    ];
    writeSpans(tempPath, OLD, spans, OLD.size);
    await runTransfer(
      request('/seg-changed.bin', {
        tempPath,
        offset: 0,
        totalBytes: OLD.size,
        validator: null,
        segments: spans,
        segmentation: SEGMENTATION,
      }),
      rec.callbacks,
    );
    assert.ok(sha256OfPath(tempPath) === sha256OfTestFile(mixed), 'the served file, whole');
    assert.ok(
      rec.starts().some((s) => s.restarted),
      'restarted from zero once the second gap differed',
    );
  });
});
