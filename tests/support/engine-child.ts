// An engine in its own process, for crash tests: the parent kills it (SIGKILL) mid-transfer and
// starts it again on the same data directory.
//
//   node --import tsx tests/support/engine-child.ts '<EngineChildConfig as JSON>'
//
// First run (config.create given): creates one FOREGROUND job with one file and resumes it.
// Later runs (no config.create): createEngine restores the job by itself (an interrupted job goes
// back to QUEUED and is scheduled again); the child only finds it.
//
// stdout is JSON lines (EngineChildLine): first one `restored` line with the record as loaded,
// then a progress line on every state change and about every `reportIntervalMs`; when the job
// is TRANSFERRED the child calls Complete, prints {"done": true}, closes the engine and exits 0.
// On ERROR, or any unexpected failure, it prints {"fatal": ...} and exits 1.
//
// Import only types from this file: importing a value would run the child in the importer.
import { statSync } from 'node:fs';
import { inspect } from 'node:util';
import type { JobErrorInfo, JobState } from '../../app/index.js';
import { createEngine } from '../../main/engine/index.js';
import type { Engine, Job } from '../../main/engine/index.js';

/** What the parent passes as the one command-line argument (JSON). */
export interface EngineChildConfig {
  readonly dataDir: string;
  readonly checkpoint: {
    readonly bytes: number;
    readonly intervalMs: number;
    readonly syncIntervalMs?: number;
  };
  /** The boot identity the engine sees (default: the machine's); a new one simulates a reboot. */
  readonly bootId?: string;
  /**
   * Only on the first run: the job to create (a DOWNLOAD unless `type` says otherwise; for an
   * upload, `url` is the upload URL and `localName` the file to send).
   */
  readonly create?: {
    readonly url: string;
    readonly localName: string;
    readonly type?: 'DOWNLOAD' | 'UPLOAD' | 'UPLOAD_REPLY';
  };
  /** Bytes per upload Fragment packet (the engine's default when left out). */
  readonly uploadFragmentSize?: number;
  /** How often a progress line is printed while nothing changes (default 50 ms). */
  readonly reportIntervalMs?: number;
}

/** A progress line; the first line of a run also has `restored`, `bytesOnDisk`, `tempFileSize`. */
export interface EngineChildProgress {
  readonly state: JobState;
  /** The job's GetProgress: bytes received so far (live, may run ahead of the record). */
  readonly bytesTransferred: number;
  readonly bytesTotal: number | null;
  /** First line only: the line describes the job as loaded, before any transfer started. */
  readonly restored?: true;
  /** First line only: the durable (recorded) bytes of the file as loaded from the store. */
  readonly bytesOnDisk?: number;
  /** First line only: the temporary file's size before the engine touched it (null: none). */
  readonly tempFileSize?: number | null;
  /** The job's last error, when it has one. */
  readonly error?: JobErrorInfo;
}

export type EngineChildLine =
  EngineChildProgress | { readonly done: true } | { readonly fatal: string };

/** How often the job's state is looked at (a state change is printed within this). */
const POLL_MS = 10;

function print(line: EngineChildLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function progressLine(job: Job): EngineChildProgress {
  const info = job.info();
  return {
    state: info.state,
    bytesTransferred: info.progress.bytesTransferred,
    bytesTotal: info.progress.bytesTotal,
    ...(info.error === null ? {} : { error: info.error }),
  };
}

async function openJob(engine: Engine, config: EngineChildConfig): Promise<Job> {
  if (config.create !== undefined) {
    if (engine.enumJobs({ allUsers: true }).length > 0) {
      throw new Error(`data directory ${config.dataDir} already has jobs on a first run`);
    }
    const job = engine.createJob({
      displayName: 'crash-test',
      priority: 'FOREGROUND',
      ...(config.create.type === undefined ? {} : { type: config.create.type }),
    });
    await job.addFile(config.create.url, config.create.localName);
    return job;
  }
  const jobs = engine.enumJobs({ allUsers: true });
  const [job] = jobs;
  if (job === undefined || jobs.length !== 1) {
    throw new Error(`expected exactly one live job to restore, found ${jobs.length}`);
  }
  return job;
}

async function main(): Promise<void> {
  // The parent holds our stdin open and never writes: its end means the test run is gone.
  process.stdin.on('end', () => {
    process.exit(3);
  });
  process.stdin.resume();
  const [arg] = process.argv.slice(2);
  if (arg === undefined) throw new Error('usage: engine-child.ts <json-config>');
  const config = JSON.parse(arg) as EngineChildConfig;
  const reportIntervalMs = config.reportIntervalMs ?? 50;

  const engine = createEngine({
    dataDir: config.dataDir,
    user: 'tester',
    minimumRetryDelayFloor: 0,
    checkpoint: config.checkpoint,
    ...(config.bootId === undefined ? {} : { bootId: config.bootId }),
    ...(config.uploadFragmentSize === undefined
      ? {}
      : { uploadFragmentSize: config.uploadFragmentSize }),
    env: {},
    onWarning: (message, cause) => {
      process.stderr.write(
        `engine warning: ${message} ${cause === undefined ? '' : inspect(cause)}\n`,
      );
    },
  });
  const job = await openJob(engine, config);

  // Synchronously after createEngine (scheduling starts on a later turn of the event loop), or
  // before Resume on a first run: the record as the store has it, and the file as the crash
  // left it. Loaded records carry no live bytes, so bytesTransferred is the durable count here.
  const [file] = job.enumFiles();
  if (file === undefined) throw new Error('the job has no file');
  print({
    ...progressLine(job),
    restored: true,
    bytesOnDisk: file.progress.bytesTransferred,
    tempFileSize: statSync(file.tempName, { throwIfNoEntry: false })?.size ?? null,
  });
  if (config.create !== undefined) await job.resume();

  let lastState: JobState | undefined;
  let lastPrint = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      try {
        const line = progressLine(job);
        const now = Date.now();
        if (line.state !== lastState || now - lastPrint >= reportIntervalMs) {
          print(line);
          lastState = line.state;
          lastPrint = now;
        }
        if (line.state === 'TRANSFERRED') {
          clearInterval(timer);
          resolve();
        } else if (line.state === 'ERROR') {
          clearInterval(timer);
          reject(new Error(`job went to ERROR: ${JSON.stringify(line.error)}`));
        }
      } catch (error) {
        clearInterval(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, POLL_MS);
  });
  await job.complete();
  print({ done: true });
  await engine.close();
}

main().then(
  () => {
    process.exit(0);
  },
  (error: unknown) => {
    print({ fatal: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
