// Ferry as users run it in the interoperability tests: `ferry transfer` (the real bin) against
// a real `ferry serve` on a temporary data directory.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { jobDetailsSchema, jobErrorSchema, parseJson } from '../../cli/contract-schemas.js';
import type { FerryRun, ServedDataDir } from '../../cli/harness.js';

export { serveDataDir } from '../../cli/harness.js';
export type { ServedDataDir } from '../../cli/harness.js';

/** The SHA-256 of a file or buffer, in hex. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? readFileSync(data) : data)
    .digest('hex');
}

/** A fresh destination folder. */
export function destination(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ferry-interop-dest-'));
}

/** What a successful `ferry transfer --json` produced. */
export interface Transferred {
  readonly run: FerryRun;
  readonly job: z.infer<typeof jobDetailsSchema>;
  /** The saved file's path and name. */
  readonly path: string;
  readonly name: string;
}

/** Runs `ferry transfer URL --dest DEST --json ...extra` and checks that it succeeded. */
export async function transfer(
  served: ServedDataDir,
  url: string,
  dest: string,
  extra: readonly string[] = [],
): Promise<Transferred> {
  const run = await served.ferry(['transfer', url, '--dest', dest, '--json', ...extra]);
  assert.equal(run.code, 0, `ferry transfer ${url} failed:\n${run.stderr}`);
  const job = parseJson(jobDetailsSchema, run.stdout);
  assert.equal(job.state, 'ACKNOWLEDGED');
  const file = job.files[0];
  assert.ok(file !== undefined);
  assert.equal(file.progress.completed, true);
  return { run, job, path: file.localName, name: basename(file.localName) };
}

/** What a failed `ferry transfer` left: its exit, the job's state and its error. */
export interface Failed {
  readonly run: FerryRun;
  readonly jobId: string;
  readonly state: string;
  readonly error: z.infer<typeof jobErrorSchema>;
}

/** Runs `ferry transfer` expecting the job to end in ERROR; returns the job's error. */
export async function failedTransfer(
  served: ServedDataDir,
  url: string,
  dest: string,
  extra: readonly string[] = [],
): Promise<Failed> {
  const run = await served.ferry(['transfer', url, '--dest', dest, ...extra]);
  assert.equal(run.code, 7, `expected the job to fail (exit 7):\n${run.stdout}\n${run.stderr}`);
  const jobId = /ferry error ([0-9a-f-]{36})/.exec(run.stderr)?.[1];
  assert.ok(jobId !== undefined, run.stderr);
  const info = await served.ferry(['info', jobId, '--json']);
  const state = parseJson(jobDetailsSchema, info.stdout).state;
  const error = parseJson(jobErrorSchema, (await served.ferry(['error', jobId, '--json'])).stdout);
  return { run, jobId, state, error };
}

/** Sets the default proxy of new jobs (OVERRIDE with one proxy, or PRECONFIG to undo). */
export async function setDefaultProxy(served: ServedDataDir, proxy: string | null): Promise<void> {
  const value =
    proxy === null
      ? { usage: 'PRECONFIG', proxyList: [], bypassList: [] }
      : { usage: 'OVERRIDE', proxyList: [proxy], bypassList: [] };
  const run = await served.ferry(['settings', 'set', 'defaultProxy', JSON.stringify(value)]);
  assert.equal(run.code, 0, run.stderr);
}
