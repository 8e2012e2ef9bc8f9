/**
 * What every scenario gets from the runner: the server, the temporary root, sizes and counts.
 */
import type { FileServer } from '../support/file-server.js';
import type { TempRoot } from '../support/files.js';

/** Sizes and counts of the scenarios (the values by default; smaller in quick mode). */
export interface ScenarioSizes {
  /** Scenario 1: the unthrottled file. */
  readonly s1Bytes: number;
  /** Scenario 2: the throttled file (1 GiB in the issue; smaller by default to bound the run). */
  readonly s2Bytes: number;
  /** Scenario 2: connection counts compared. */
  readonly s2Connections: readonly number[];
  readonly s3Files: number;
  readonly s3FileBytes: number;
  readonly s4Jobs: number;
  /** Scenario 4: how long the restored engine is watched while idle. */
  readonly s4IdleMs: number;
  readonly s5Bytes: number;
  /** Scenarios 2 and 5: per-connection limit of the server. */
  readonly throttleBytesPerSecond: number;
}

/** The runner's services for one scenario. */
export interface BenchContext {
  readonly server: FileServer;
  readonly temp: TempRoot;
  /** The folder the server serves. */
  readonly servedDir: string;
  readonly runs: number;
  readonly sizes: ScenarioSizes;
  readonly log: (line: string) => void;
}

/** The sizes; `s2Bytes` is 128 MiB so a full run stays near 15 minutes on 2 cores. */
export const DEFAULT_SIZES: ScenarioSizes = {
  s1Bytes: 1024 * 1024 * 1024,
  s2Bytes: 128 * 1024 * 1024,
  s2Connections: [1, 4, 8, 16],
  s3Files: 2000,
  s3FileBytes: 16 * 1024,
  s4Jobs: 10_000,
  s4IdleMs: 5000,
  s5Bytes: 256 * 1024 * 1024,
  throttleBytesPerSecond: 10_000_000,
};

/** Quick mode: a smoke run of every scenario in a minute or two. */
export const QUICK_SIZES: ScenarioSizes = {
  ...DEFAULT_SIZES,
  s1Bytes: 64 * 1024 * 1024,
  s2Bytes: 16 * 1024 * 1024,
  s3Files: 200,
  s4Jobs: 500,
  s4IdleMs: 1000,
  s5Bytes: 32 * 1024 * 1024,
};

/** A byte count as "1 GiB", "128 MiB", "16 KiB" (binary units, as the sizes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit += 1;
  }
  if (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
    return `${value.toFixed(1)} ${units[unit] ?? ''}`;
  }
  return `${value} ${units[unit] ?? ''}`;
}

/** A time limit for moving `bytes` at no less than `minBytesPerSecond`, plus a minute of slack. */
export function transferTimeoutMs(bytes: number, minBytesPerSecond: number): number {
  return Math.ceil((bytes / minBytesPerSecond) * 1000) + 60_000;
}
