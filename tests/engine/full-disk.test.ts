// A full disk under the data directory. Guards against: the store's failure surfacing as
// INTERNAL "cannot rollback - no transaction is active" (the COMMIT had failed and SQLite had
// rolled back already), and a refused command leaving the job changed in memory.
//
// The disk is real: a 1 MiB tmpfs mounted on the data directory inside a private mount
// namespace (`unshare -m`, or `unshare -rm` as a user namespace when not root), so nothing
// outside the child sees it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/child-process.js';
import { makeTempDir } from '../support/engine-harness.js';

describe('a full disk under the data directory', { skip: process.platform !== 'linux' }, () => {
  it('refuses the write with STORE_FAILED naming the store, and changes nothing', async () => {
    const dir = makeTempDir('ferry-full-disk-');
    try {
      const dataDir = join(dir.path, 'data');
      const outDir = join(dir.path, 'out');
      mkdirSync(dataDir);
      mkdirSync(outDir);
      const child = join(REPO_ROOT, 'tests', 'support', 'full-disk-child.ts');
      const script =
        `mount -t tmpfs -o size=1m tmpfs '${dataDir}' && ` +
        `exec '${process.execPath}' --import tsx '${child}' '${dataDir}' '${outDir}'`;
      const namespace = process.getuid?.() === 0 ? ['-m'] : ['-rm'];
      const result = await promisify(execFile)('unshare', [...namespace, 'sh', '-c', script], {
        cwd: REPO_ROOT,
        timeout: 120_000,
      });
      const report = JSON.parse(result.stdout) as {
        failure: { code: string; message: string; sysCode: string | null; command: string };
        refused: { code: string; message: string } | null;
        inMemory: unknown;
        onDisk: unknown;
      };
      assert.equal(report.failure.code, 'STORE_FAILED', report.failure.message);
      assert.equal(report.failure.sysCode, 'ENOSPC');
      assert.match(
        report.failure.message,
        new RegExp(`${join(dataDir, 'ferry.db')}: the disk is full`),
      );
      assert.equal(report.refused?.code, 'STORE_FAILED', 'adding files to a job on a full disk');
      assert.notEqual(report.inMemory, null);
      assert.deepEqual(report.inMemory, report.onDisk, 'the refused command changed nothing');
    } finally {
      dir.cleanup();
    }
  });
});
