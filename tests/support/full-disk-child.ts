// Fills the disk under a data directory (a small tmpfs the parent mounted) with jobs until the
// store refuses a write, then reports on stdout, as JSON, the error, the failed job as the
// engine held it after the refusal, and the same job as a fresh engine reads it from disk.
import type { JobInfo } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import { createEngine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';

const [dataDir, outDir] = process.argv.slice(2) as [string, string];
const options = { dataDir, user: 'tester', env: {}, onWarning: () => undefined };

interface Snapshot {
  readonly description: string;
  readonly files: number;
  readonly state: string;
}
const snapshot = (info: JobInfo & { files?: readonly unknown[] }, files: number): Snapshot => ({
  description: info.description,
  files,
  state: info.state,
});

const engine = createEngine(options);
const host = createEngineHost({ engine, host: 'server', version: 'test' });
let failure: { code: string; message: string; sysCode: string | null; command: string } | null =
  null;
let failedJob: string | null = null;
let inMemory: Snapshot | null = null;
for (let n = 0; failure === null && n < 100_000; n++) {
  const created = await host.invoke('job.create', { displayName: `filler ${String(n)}` });
  const steps: [string, (jobId: string) => unknown][] = [
    [
      'job.addFile',
      (jobId) => ({
        jobId,
        remoteUrl: `http://127.0.0.1:9/${String(n)}.bin`,
        localName: `${outDir}/f-${String(n)}.bin`,
      }),
    ],
    ['job.setDescription', (jobId) => ({ jobId, description: 'd'.repeat(1000) })],
  ];
  if (!created.ok) {
    failure = { ...created.error, sysCode: created.error.sysCode ?? null, command: 'job.create' };
    break;
  }
  const jobId = (created.value as { id: string }).id;
  for (const [command, input] of steps) {
    const result = await host.invoke(command, input(jobId));
    if (!result.ok) {
      failure = { ...result.error, sysCode: result.error.sysCode ?? null, command };
      failedJob = jobId;
      const job = engine.getJob(jobId);
      inMemory = snapshot(job.info(), job.enumFiles().length);
      break;
    }
  }
}
// The disk is full now: a command that adds to an existing job must be refused too, and
// leave it as it was.
const first = engine.enumJobs()[0];
let refused: { code: string; message: string } | null = null;
if (first !== undefined) {
  failedJob = first.id;
  const result = await host.invoke('job.addFileSet', {
    jobId: first.id,
    files: Array.from({ length: 50 }, (_, i) => ({
      remoteUrl: `http://127.0.0.1:9/${'x'.repeat(4000)}/${String(i)}.bin`,
      localName: `${outDir}/more-${String(i)}.bin`,
    })),
  });
  if (!result.ok) refused = { code: result.error.code, message: result.error.message };
  inMemory = snapshot(first.info(), first.enumFiles().length);
}
host.close();
await engine.close().catch((error: unknown) => {
  if (!(error instanceof FerryError)) throw error;
});
const reopened = createEngine(options);
const onDisk =
  failedJob === null
    ? null
    : snapshot(reopened.getJob(failedJob).info(), reopened.getJob(failedJob).enumFiles().length);
await reopened.close();
process.stdout.write(`${JSON.stringify({ failure, refused, inMemory, onDisk })}\n`);
