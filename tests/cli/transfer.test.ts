// `ferry transfer` end to end: the real bin as a child process, a real `ferry serve`, and a
// loopback file server; files are checked by sha256 at the names downloads.plan chose.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { jobDetailsSchema, jobErrorSchema, parseJson } from './contract-schemas.js';
import { serveDataDir, tempDir } from './harness.js';
import type { FerryRun, ServedDataDir } from './harness.js';

const FILES = {
  '/a.bin': { size: 1_500_000, seed: 1 },
  '/b.bin': { size: 700_000, seed: 2 },
  '/dl?id=3': { size: 300_000, seed: 3 },
} as const;

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

describe('ferry transfer', () => {
  let http: TestServer;
  let served: ServedDataDir;
  const dirs: string[] = [];

  before(async () => {
    http = await startTestServer();
    http.setFile('/a.bin', { body: FILES['/a.bin'] });
    http.setFile('/b.bin', { body: FILES['/b.bin'] });
    // No name in the URL: the server's Content-Disposition names the file.
    http.setFile('/dl', {
      body: FILES['/dl?id=3'],
      contentDisposition: 'attachment; filename="report 2025.pdf"',
    });
    http.setFile('/slow.bin', { body: { size: 4_000_000, seed: 4 }, throttleBytesPerSec: 200_000 });
    served = await serveDataDir();
  });
  after(async () => {
    await served.close();
    await http.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('downloads several files into one job, completes it and prints the saved paths', async () => {
    const dest = await tempDir('dest');
    dirs.push(dest);
    // A file already at one planned name: the plan picks a free one beside it.
    await (await import('node:fs/promises')).writeFile(join(dest, 'a.bin'), 'old');
    const urls = Object.keys(FILES).map((path) => http.url(path));
    const run = await served.ferry(['transfer', ...urls, '--dest', dest, '--name', 'batch']);
    assert.equal(run.code, 0, run.stderr);

    const expected = [join(dest, 'a (2).bin'), join(dest, 'b.bin'), join(dest, 'report 2025.pdf')];
    assert.deepEqual(run.stdout.trim().split('\n'), expected);
    const bodies = Object.values(FILES);
    for (const [i, path] of expected.entries()) {
      const body = bodies[i];
      assert.ok(body !== undefined);
      assert.equal(await sha256(path), sha256OfTestFile(body), path);
    }
    assert.equal(await readFile(join(dest, 'a.bin'), 'utf8'), 'old');
    // No temporary file is left behind.
    assert.deepEqual((await readdir(dest)).sort(), [
      'a (2).bin',
      'a.bin',
      'b.bin',
      'report 2025.pdf',
    ]);

    const info = await served.ferry(['info', 'batch', '--json']);
    assert.equal(info.code, 0, info.stderr);
    const job = parseJson(jobDetailsSchema, info.stdout);
    assert.equal(job.state, 'ACKNOWLEDGED');
    assert.equal(job.priority, 'FOREGROUND');
    assert.deepEqual(
      job.files.map((f) => [f.localName, f.progress.completed]),
      expected.map((path) => [path, true]),
    );
  });

  it('prints the completed job as the contract shapes it with --json', async () => {
    const dest = await tempDir('dest');
    dirs.push(dest);
    const run = await served.ferry([
      'transfer',
      http.url('/b.bin'),
      '--dest',
      dest,
      '--priority',
      'high',
      '--connections',
      '2',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const job = parseJson(jobDetailsSchema, run.stdout);
    assert.equal(job.state, 'ACKNOWLEDGED');
    assert.equal(job.priority, 'HIGH');
    assert.equal(job.transferPolicy.connectionsPerFile, 2);
    assert.equal(job.displayName, 'b.bin');
    assert.equal(await sha256(join(dest, 'b.bin')), sha256OfTestFile(FILES['/b.bin']));
  });

  it('exits 7 with the job error when a file fails, and keeps the job for ferry error', async () => {
    const dest = await tempDir('dest');
    dirs.push(dest);
    const run = await served.ferry(['transfer', http.url('/missing.bin'), '--dest', dest]);
    assert.equal(run.code, 7, run.stderr);
    const lines = run.stderr.trim().split('\n');
    const last = lines.at(-1) ?? '';
    assert.match(last, /^ferry: transfer failed: .*HTTP_NOT_FOUND.*ferry error [0-9a-f-]{36}/);
    const jobId = /ferry error ([0-9a-f-]{36})/.exec(last)?.[1];
    assert.ok(jobId !== undefined);

    const error = await served.ferry(['error', jobId]);
    assert.equal(error.code, 0, error.stderr);
    assert.match(error.stdout, /HTTP_NOT_FOUND: .*\(context REMOTE_FILE, file 0, HTTP 404\)/);
    const json = await served.ferry(['error', jobId, '--json']);
    const info = parseJson(jobErrorSchema, json.stdout);
    assert.equal(info.httpStatus, 404);
    const all = await served.ferry(['error', jobId, '--all', '--json']);
    assert.ok(parseJson(z.array(jobErrorSchema), all.stdout).length >= 1);
    const state = await served.ferry(['info', jobId, '--json']);
    assert.equal(parseJson(jobDetailsSchema, state.stdout).state, 'ERROR');
    // Nothing at the final name; the partial file stays for a later resume.
    assert.ok(!(await readdir(dest)).includes('missing.bin'));
  });

  it('creates a --dest that does not exist (mkdir -p) and says so', async () => {
    const root = await tempDir('dest');
    dirs.push(root);
    const dest = join(root, 'new', 'folder');
    const run = await served.ferry(['transfer', http.url('/b.bin'), '--dest', dest]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes(`ferry: created folder ${dest}\n`), run.stderr);
    assert.equal(run.stdout.trim(), join(dest, 'b.bin'));
    assert.equal(await sha256(join(dest, 'b.bin')), sha256OfTestFile(FILES['/b.bin']));
  });

  it('refuses a --dest inside the data directory with exit 2, creating nothing', async () => {
    const dest = join(served.dataDir, 'downloads');
    const run = await served.ferry(['transfer', http.url('/b.bin'), '--dest', dest]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /data directory.*\(INPUT_INVALID\)/);
    assert.doesNotMatch(run.stderr, /created folder/);
    assert.ok(!(await readdir(served.dataDir)).includes('downloads'));
  });

  it('refuses a bad URL with exit 2 and creates no job', async () => {
    const before = await served.ferry(['list', '--history', '--json']);
    const count = parseJson(z.array(jobDetailsSchema), before.stdout).length;
    const run = await served.ferry(['transfer', 'not a url', '--dest', served.dataDir]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^ferry: .*not a url.* \(INPUT_[A-Z_]+\)\n$/);
    const afterList = await served.ferry(['list', '--history', '--json']);
    assert.equal(parseJson(z.array(jobDetailsSchema), afterList.stdout).length, count);
  });

  // Regression: the server made a missing --dest before the bad URL (or a refused
  // --connections) was reported, so a rejected command left a new empty folder behind.
  it('refuses a bad URL or --connections with exit 2 and leaves a missing --dest uncreated', async () => {
    const root = await tempDir('dest');
    dirs.push(root);
    const dest = join(root, 'new', 'folder');
    const badUrl = await served.ferry(['transfer', 'not a url', '--dest', dest]);
    assert.equal(badUrl.code, 2, badUrl.stderr);
    assert.match(badUrl.stderr, /^ferry: .*not a url.* \(INPUT_[A-Z_]+\)\n$/);
    assert.deepEqual(await readdir(root), []);
    for (const count of ['0', '17']) {
      const run = await served.ferry([
        'transfer',
        http.url('/b.bin'),
        '--dest',
        dest,
        '--connections',
        count,
      ]);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `ferry: Invalid connection count '${count}': use 1 to 16 (INPUT_INVALID)\n`,
      );
      assert.deepEqual(await readdir(root), []);
    }
  });

  it('suspends the job on Ctrl+C and exits 130; the bytes are kept', async () => {
    const dest = await tempDir('dest');
    dirs.push(dest);
    let signalled = false;
    const run = await served.ferry(
      ['transfer', http.url('/slow.bin'), '--dest', dest, '--name', 'slow'],
      {
        onStderr(text, pid) {
          if (!signalled && text.includes('TRANSFERRING')) {
            signalled = true;
            process.kill(pid, 'SIGINT');
          }
        },
        timeoutMs: 15_000,
      },
    );
    assert.equal(run.code, 130, run.stderr);
    assert.match(
      run.stderr.trim().split('\n').at(-1) ?? '',
      /^ferry: interrupted; job 'slow' .* suspended/,
    );
    const info = parseJson(
      jobDetailsSchema,
      (await served.ferry(['info', 'slow', '--json'])).stdout,
    );
    assert.equal(info.state, 'SUSPENDED');
    assert.ok(info.progress.bytesTransferred < 4_000_000);
  });
  // Guards against `ferry transfer` hanging (polling a CANCELLED job until killed) when the
  // job it waits for is cancelled or completed by another client.
  it('exits 4 instead of waiting forever when another client cancels the job mid-transfer', async () => {
    const dest = await tempDir('dest-cancelled');
    dirs.push(dest);
    const other: { cancel: Promise<FerryRun> | null } = { cancel: null };
    const run = await served.ferry(
      ['transfer', http.url('/slow.bin'), '--dest', dest, '--name', 'elsewhere'],
      {
        onStderr(text) {
          if (other.cancel === null && text.includes('TRANSFERRING')) {
            other.cancel = served.ferry(['cancel', 'elsewhere']);
          }
        },
        timeoutMs: 15_000,
      },
    );
    assert.ok(other.cancel !== null, 'the transfer was seen running');
    const cancel = await other.cancel;
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(run.code, 4, run.stderr);
    assert.match(
      run.stderr.trim().split('\n').at(-1) ?? '',
      /^ferry: Job 'elsewhere' .* was cancelled by another client before it transferred \(JOB_INVALID_STATE\)$/,
    );
  });
});
