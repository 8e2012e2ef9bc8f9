// Ferry's engine in its own process, so its time, CPU and RSS are its own.
//
//   node --import tsx benchmarks/peers/ferry-child.ts '<FerryChildConfig as JSON>' | @config.json
//
// Modes:
// - "download": opens the engine on `dataDir`, creates one FOREGROUND job with `files`, sets its
//   transfer policy, resumes it, waits for TRANSFERRED and completes it. With `create: false` it
//   instead finds the one job a killed earlier run left (crash resume) and waits for it.
//   With `reopenBeforeComplete`, the engine is closed and opened again once the job is
//   TRANSFERRED, and every file's record must say transferred before Complete (scenario 3).
// - "queue-create": creates `jobs` SUSPENDED jobs of one file each and closes the engine.
// - "queue-restore": opens the engine on such a store, counts the jobs, then idles.
//
// Prints {"started": true} once the transfer is requested, then one {"result": …} line, and
// exits 0; on failure prints the error to stderr and exits 1. Times and CPU cover only the
// measured window, never Node's or tsx's start-up.
import { mkdirSync, readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { EngineSettings, JobState } from '../../app/index.js';
import { createEngine } from '../../main/engine/index.js';
import type { Engine, Job } from '../../main/engine/index.js';

/** One file to download. */
export interface FerryChildFile {
  readonly url: string;
  readonly localName: string;
}

/** What the runner passes as the one argument (JSON). */
export type FerryChildConfig =
  | {
      readonly mode: 'download';
      readonly dataDir: string;
      /** False: the job already exists (a restart after SIGKILL). */
      readonly create: boolean;
      readonly files: readonly FerryChildFile[];
      /** Per-job connections per file; null keeps the engine's default. */
      readonly connectionsPerFile: number | null;
      /** Engine settings to apply first (names as in the contract's settings patch). */
      readonly engineSettings?: Readonly<Record<string, unknown>>;
      readonly reopenBeforeComplete?: boolean;
    }
  | {
      readonly mode: 'queue-create';
      readonly dataDir: string;
      readonly jobs: number;
      readonly urlBase: string;
      readonly localDir: string;
    }
  | { readonly mode: 'queue-restore'; readonly dataDir: string; readonly idleMs: number };

/** Result of a download run. */
export interface FerryDownloadResult {
  readonly bytes: number;
  /** From CreateJob (or, on a restart, from opening the engine) to Complete's return. */
  readonly wallMs: number;
  /** Resume to TRANSFERRED. */
  readonly transferMs: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  /** Job records checked after a reopen (0 when not asked). */
  readonly recordsChecked: number;
  /** The engine settings in force (shows what the engine under test supports). */
  readonly settings: EngineSettings;
  /** Any setting the engine refused (an engine without segmentation yet, for instance). */
  readonly refused: readonly string[];
}

/** Result of queue-create. */
export interface FerryQueueCreateResult {
  readonly jobs: number;
  readonly wallMs: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

/** Result of queue-restore. */
export interface FerryQueueRestoreResult {
  readonly jobs: number;
  /** createEngine + EnumJobs. */
  readonly restoreMs: number;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  /** CPU used over the idle window, as a percentage of one core. */
  readonly idleCpuPercent: number;
  readonly idleMs: number;
}

const POLL_MS = 5;

function print(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Resident set size now and at its peak, from /proc (VmRSS, VmHWM). */
function rss(): { now: number; peak: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { now: field('VmRSS'), peak: field('VmHWM') };
}

function open(dataDir: string): Engine {
  return createEngine({
    dataDir,
    user: 'bench',
    env: {},
    onWarning: (message, cause) => {
      process.stderr.write(
        `engine warning: ${message} ${cause === undefined ? '' : inspect(cause)}\n`,
      );
    },
  });
}

function waitForState(job: Job, wanted: JobState, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const timer = setInterval(() => {
      const state = job.getState();
      if (state === wanted) {
        clearInterval(timer);
        resolve();
      } else if (state === 'ERROR' || state === 'CANCELLED' || performance.now() > deadline) {
        clearInterval(timer);
        reject(
          new Error(`job is ${state}, waiting for ${wanted}: ${JSON.stringify(job.getError())}`),
        );
      }
    }, POLL_MS);
  });
}

function applySettings(engine: Engine, patch: Readonly<Record<string, unknown>>): string[] {
  const refused: string[] = [];
  for (const [name, value] of Object.entries(patch)) {
    try {
      // One setting at a time: the engine validates each at run time, and one it refuses (an
      // engine without that feature yet) is reported instead of failing the run.
      engine.setSettings({ [name]: value });
    } catch (error) {
      refused.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return refused;
}

async function download(
  config: Extract<FerryChildConfig, { mode: 'download' }>,
): Promise<FerryDownloadResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let engine = open(config.dataDir);
  const refused = applySettings(engine, config.engineSettings ?? {});
  let job: Job;
  if (config.create) {
    job = engine.createJob({ displayName: 'bench', priority: 'FOREGROUND' });
    await job.addFileSet(
      config.files.map((file) => ({ remoteUrl: file.url, localName: file.localName })),
    );
    if (config.connectionsPerFile !== null) {
      await job.setTransferPolicy({ connectionsPerFile: config.connectionsPerFile });
    }
    await job.resume();
  } else {
    const jobs = engine.enumJobs({ allUsers: true });
    const [found] = jobs;
    if (found === undefined || jobs.length !== 1)
      throw new Error(`expected one job to restore, found ${jobs.length}`);
    job = found;
  }
  print({ started: true });
  const tResume = performance.now();
  const timeoutMs = 30 * 60_000;
  await waitForState(job, 'TRANSFERRED', timeoutMs);
  const transferMs = performance.now() - tResume;
  let recordsChecked = 0;
  // The check below is not part of the transfer: its time and CPU are taken out.
  let reopenMs = 0;
  let reopenCpu = 0;
  if (config.reopenBeforeComplete === true) {
    const r0 = performance.now();
    const rc0 = process.cpuUsage();
    const id = job.getId();
    await engine.close();
    engine = open(config.dataDir);
    job = engine.getJob(id);
    const files = job.enumFiles();
    const missing = files.filter((file) => !file.progress.transferred);
    if (files.length !== config.files.length || missing.length > 0) {
      throw new Error(
        `after a restart the job records ${files.length} files, ${missing.length} not transferred`,
      );
    }
    recordsChecked = files.length;
    reopenMs = performance.now() - r0;
    reopenCpu = cpuSince(rc0);
  }
  await job.complete();
  const wallMs = performance.now() - t0 - reopenMs;
  const cpuSeconds = cpuSince(cpu0) - reopenCpu;
  const bytes = job.enumFiles().reduce((sum, file) => sum + file.progress.bytesTransferred, 0);
  const settings = engine.getSettings();
  await engine.close();
  return {
    bytes,
    wallMs,
    transferMs,
    cpuSeconds,
    peakRssBytes: rss().peak,
    recordsChecked,
    settings,
    refused,
  };
}

async function queueCreate(
  config: Extract<FerryChildConfig, { mode: 'queue-create' }>,
): Promise<FerryQueueCreateResult> {
  // AddFile wants the destination folder to exist (it checks that it is writable).
  mkdirSync(config.localDir, { recursive: true });
  const engine = open(config.dataDir);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let index = 0; index < config.jobs; index += 1) {
    const job = engine.createJob({ displayName: `queued ${index}` });
    await job.addFile(`${config.urlBase}/file-${index}`, `${config.localDir}/file-${index}`);
  }
  const wallMs = performance.now() - t0;
  const cpuSeconds = cpuSince(cpu0);
  await engine.close();
  return { jobs: config.jobs, wallMs, cpuSeconds, peakRssBytes: rss().peak };
}

async function queueRestore(
  config: Extract<FerryChildConfig, { mode: 'queue-restore' }>,
): Promise<FerryQueueRestoreResult> {
  const t0 = performance.now();
  const engine = open(config.dataDir);
  const jobs = engine.enumJobs({ allUsers: true }).length;
  const restoreMs = performance.now() - t0;
  // Let start-up work (timers, the first plan) settle before the idle window.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cpu0 = process.cpuUsage();
  const i0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, config.idleMs));
  const idleMs = performance.now() - i0;
  const idleCpuPercent = (cpuSince(cpu0) / (idleMs / 1000)) * 100;
  const memory = rss();
  await engine.close();
  return {
    jobs,
    restoreMs,
    rssBytes: memory.now,
    peakRssBytes: memory.peak,
    idleCpuPercent,
    idleMs,
  };
}

async function main(): Promise<void> {
  // The runner holds stdin open: its end means the runner is gone, so this child goes too.
  process.stdin.on('end', () => process.exit(3));
  process.stdin.resume();
  const [arg] = process.argv.slice(2);
  if (arg === undefined) throw new Error('usage: ferry-child.ts <json-config>');
  // A long config (thousands of files) comes as @file: argv strings are limited to 128 KiB.
  const text = arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8') : arg;
  const config = JSON.parse(text) as FerryChildConfig;
  let result: object;
  if (config.mode === 'download') result = await download(config);
  else if (config.mode === 'queue-create') result = await queueCreate(config);
  else result = await queueRestore(config);
  print({ result });
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
