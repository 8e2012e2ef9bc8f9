// The file: transfer (BITS copies from local and UNC paths): copy, resume when the source is
// unchanged, restart when it changed, a missing source, and abort keeping a durable prefix.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FerryError } from '../../../app/index.js';
import { DEFAULT_RETRY_POLICY, isTransient } from '../../../main/engine/retry-policy.js';
import { runTransfer } from '../../../main/engine/transfer/index.js';
import type { FileTransferRequest } from '../../../main/engine/transfer/types.js';
import { readTestFileRange, sha256OfTestFile, writeTestFile } from '../../support/test-file.js';
import type { TestFileBody } from '../../support/test-file.js';
import { Targets, makeRequest, makeScratch, rejection, sha256OfPath } from './transfer-harness.js';
import type { Recorder, Scratch } from './transfer-harness.js';

const MiB = 1024 * 1024;
const BODY: TestFileBody = { size: 5 * MiB + 99, seed: 21 };
const OTHER: TestFileBody = { size: 5 * MiB + 99, seed: 22 };

let scratch: Scratch;
let source: string;
let targets: Targets;

before(async () => {
  scratch = makeScratch('ferry-file-transfer-');
  targets = new Targets(scratch);
  source = scratch.file('source.bin');
  await writeTestFile(BODY, source);
});

after(() => {
  scratch.cleanup();
});

afterEach(() => {
  targets.assertNoViolations();
});

function target(): { tempPath: string; rec: Recorder } {
  return targets.next();
}

function request(
  path: string,
  tempPath: string,
  extra: Partial<FileTransferRequest> = {},
): FileTransferRequest {
  return makeRequest({
    remoteUrl: pathToFileURL(path).href,
    tempPath,
    connectionFor: () => {
      throw new Error('file: transfers need no dispatcher');
    },
    checkpoint: { bytes: MiB, intervalMs: 50, syncIntervalMs: 200 },
    ...extra,
  });
}

function sourceValidator(path: string): { etag: null; lastModified: string } {
  return { etag: null, lastModified: statSync(path).mtime.toISOString() };
}

describe('transferFile', () => {
  it('copies a file and reports size, validator and a final checkpoint', async () => {
    const { tempPath, rec } = target();
    const result = await runTransfer(request(source, tempPath), rec.callbacks);
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(BODY));
    assert.deepEqual(result, {
      totalBytes: BODY.size,
      validator: sourceValidator(source),
      finalUrl: pathToFileURL(source).href,
    });
    assert.equal(rec.starts()[0]?.restarted, false);
    assert.equal(rec.lastCheckpoint(), BODY.size);
    // Syncs run beside the writes and coalesce while one is in flight (a local copy outruns
    // them), but the copy is never recorded only at its end.
    const points = rec.checkpoints();
    assert.ok(points.length >= 2, 'a checkpoint before the final one');
    assert.deepEqual(
      points,
      [...points].sort((x, y) => x - y),
      'checkpoints never go back',
    );
  });

  it('resumes from the offset when the source is unchanged', async () => {
    const { tempPath, rec } = target();
    const offset = 2 * MiB + 5;
    // A marker in the kept prefix proves the prefix is not copied again.
    const prefix = Buffer.from(readTestFileRange(BODY, 0, offset));
    prefix[0] = prefix[0] === 0 ? 1 : 0;
    writeFileSync(tempPath, prefix);
    await runTransfer(
      request(source, tempPath, {
        offset,
        totalBytes: BODY.size,
        validator: sourceValidator(source),
      }),
      rec.callbacks,
    );
    const copied = readFileSync(tempPath);
    assert.equal(copied[0], prefix[0]);
    assert.ok(copied.subarray(1).equals(readTestFileRange(BODY, 1, BODY.size)));
    assert.deepEqual(
      rec.starts().map((s) => [s.offset, s.restarted]),
      [[offset, false]],
    );
  });

  it('restarts from zero when the source changed, reporting it before truncating', async () => {
    const changed = scratch.file('changed.bin');
    await writeTestFile(OTHER, changed);
    const oldValidator = sourceValidator(changed);
    const { tempPath, rec } = target();
    const offset = 3 * MiB;
    writeFileSync(tempPath, readTestFileRange(OTHER, 0, offset));
    await writeTestFile(BODY, changed);
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    await runTransfer(
      request(changed, tempPath, { offset, totalBytes: OTHER.size, validator: oldValidator }),
      rec.callbacks,
    );
    const first = rec.events[0];
    assert.ok(first?.kind === 'start');
    assert.equal(first.start.restarted, true);
    assert.equal(first.start.offset, 0);
    assert.equal(first.sizeOnDisk, offset, 'onStart(restarted) comes before the truncation');
    assert.equal(sha256OfPath(tempPath), sha256OfTestFile(BODY));
  });

  it('reports a missing source as FILE_SOURCE_NOT_FOUND', async () => {
    const { tempPath, rec } = target();
    const error = await rejection(
      runTransfer(request(scratch.file('nope.bin'), tempPath), rec.callbacks),
    );
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'FILE_SOURCE_NOT_FOUND');
    assert.equal(error.context, 'REMOTE_FILE');
    assert.equal(error.sysCode, 'ENOENT');
    assert.deepEqual(rec.events, []);
  });

  it('saves the copied prefix and rejects with the reason when aborted', async () => {
    // A source much larger than the writer's queue, so the abort lands before the copy ends
    // even when checkpoints (fsync) lag behind reads on a busy machine.
    const large: TestFileBody = { size: 48 * MiB, seed: 23 };
    const largeSource = scratch.file('large-source.bin');
    await writeTestFile(large, largeSource);
    const { tempPath, rec } = target();
    const controller = new AbortController();
    const reason = new Error('stop copying');
    let aborted = false;
    const callbacks = {
      ...rec.callbacks,
      onCheckpoint(bytes: number) {
        rec.callbacks.onCheckpoint(bytes, undefined, false);
        if (!aborted && bytes >= 2 * MiB) {
          aborted = true;
          controller.abort(reason);
        }
      },
    };
    const error = await rejection(
      runTransfer(request(largeSource, tempPath, { signal: controller.signal }), callbacks),
    );
    assert.equal(error, reason);
    const saved = rec.lastCheckpoint() ?? 0;
    assert.ok(saved >= 2 * MiB && saved < large.size, `saved ${saved}`);
    assert.equal(statSync(tempPath).size, saved);
    assert.ok(readFileSync(tempPath).equals(readTestFileRange(large, 0, saved)));
  });
});

// Guards against: a `file:` source that became a folder (or is a device such as /dev/zero)
// failing with a raw 'I/O error reading … (EISDIR)', and a named pipe blocking the copy forever
// while it waited for a writer.
describe('transferFile, a source that is not a file', () => {
  const cases: { what: string; path: () => string; kind: string }[] = [
    { what: 'a folder', path: () => scratch.path, kind: 'folder' },
    { what: '/dev/zero', path: () => '/dev/zero', kind: 'device' },
    {
      what: 'a named pipe with no writer',
      path: () => {
        const fifo = scratch.file('source.fifo');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
      kind: 'pipe',
    },
  ];
  for (const { what, path, kind } of cases) {
    it(`refuses ${what} with FILE_SOURCE_NOT_A_FILE naming the path`, async () => {
      const sourcePath = path();
      const { tempPath, rec } = target();
      const error = await rejection(runTransfer(request(sourcePath, tempPath), rec.callbacks));
      assert.ok(error instanceof FerryError, String(error));
      assert.equal(error.code, 'FILE_SOURCE_NOT_A_FILE', error.message);
      assert.equal(error.context, 'REMOTE_FILE');
      assert.equal(error.message, `The source is a ${kind}, not a file: ${sourcePath}`);
      assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), false);
      assert.deepEqual(rec.starts(), [], 'nothing started');
    });
  }
});
