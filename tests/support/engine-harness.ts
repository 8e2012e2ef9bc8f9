import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobState } from '../../app/index.js';
import { createEngine } from '../../main/engine/index.js';
import type { Engine, EngineOptions, Job } from '../../main/engine/index.js';

/** A temporary folder removed by `cleanup`. */
export interface TempDir {
  readonly path: string;
  file(name: string): string;
  cleanup(): void;
}

/** Makes a fresh temporary folder for one test. */
export function makeTempDir(prefix = 'ferry-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    cleanup: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * Options that make an engine fast to test: no retry floor, short notification interval, small
 * checkpoints, short timeouts, and warnings collected instead of printed.
 */
export function testEngineOptions(dataDir: string, extra: EngineOptions = {}): EngineOptions {
  return {
    dataDir,
    user: 'tester',
    minimumRetryDelayFloor: 0,
    notificationIntervalMs: 20,
    checkpoint: { bytes: 256 * 1024, intervalMs: 100 },
    limits: { connectTimeoutMs: 2000, headersTimeoutMs: 3000, bodyIdleTimeoutMs: 3000 },
    env: {},
    onWarning: () => undefined,
    ...extra,
  };
}

/** Creates an engine on a fresh data directory under `dir`. */
export function startEngine(dir: TempDir, extra: EngineOptions = {}): Engine {
  return createEngine(testEngineOptions(join(dir.path, 'data'), extra));
}

/** Waits until the job reaches `state` (polling), or fails naming the state it is stuck in. */
export async function waitForState(job: Job, state: JobState, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (job.getState() !== state) {
    if (Date.now() > deadline) {
      const error = job.getError();
      throw new Error(
        `Job '${job.getDisplayName()}' did not reach ${state} within ${timeoutMs} ms: it is ${job.getState()}` +
          (error === null ? '' : ` (${error.code}: ${error.message})`),
      );
    }
    await sleep(5);
  }
}

/** Waits until `predicate` holds (polling), or fails with `what`. */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
