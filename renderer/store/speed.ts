import type { JobInfo } from '../../app/model/job.js';

/**
 * A job's measured speed, derived from the bytes it reported in successive batches.
 *
 * The engine reports bytes, not rates, so the renderer measures: each batch that changes a
 * job's byte count gives one sample, smoothed so a bursty link does not make the figure jump.
 */
export interface SpeedInfo {
  /** Bytes transferred at `time`. */
  readonly bytes: number;
  /** When `bytes` was seen, in ms (Date.now()). */
  readonly time: number;
  /** Smoothed bytes per second. */
  readonly speed: number;
  /** One point per second at most, oldest first, covering `HISTORY_MS`. */
  readonly history: readonly SpeedPoint[];
}

/** One point of the speed chart. */
export interface SpeedPoint {
  readonly time: number;
  readonly speed: number;
}

/** How much speed history each job keeps for its chart: the last five minutes. */
export const HISTORY_MS = 5 * 60_000;

/** Weight of the newest sample in the moving average. */
const SMOOTHING = 0.5;

/** A job that reports no new bytes for this long is shown at 0 B/s. */
export const STALL_MS = 3_000;

/** Least spacing between two history points, so the chart stays small. */
const POINT_SPACING_MS = 1_000;

function isMoving(job: JobInfo): boolean {
  return job.state === 'TRANSFERRING' || job.state === 'CONNECTING';
}

function withPoint(history: readonly SpeedPoint[], point: SpeedPoint): readonly SpeedPoint[] {
  // The newest point moves with every batch until it is a second past the one before it,
  // so the chart keeps one point per second however often batches come.
  const last = history.at(-1);
  const before = history.at(-2);
  const base =
    last !== undefined && before !== undefined && last.time - before.time < POINT_SPACING_MS
      ? history.slice(0, -1)
      : history;
  const cutoff = point.time - HISTORY_MS;
  const start = base.findIndex((p) => p.time >= cutoff);
  const kept = start === -1 ? [] : start === 0 ? base : base.slice(start);
  return [...kept, point];
}

/**
 * The speed after seeing `job` at `now`, given what was known before (`prev`).
 *
 * Returns `prev` itself when nothing changed, so callers can keep Map entries stable.
 */
export function nextSpeed(prev: SpeedInfo | undefined, job: JobInfo, now: number): SpeedInfo {
  const bytes = job.progress.bytesTransferred;
  if (prev === undefined) return { bytes, time: now, speed: 0, history: [] };
  if (!isMoving(job)) {
    if (prev.speed === 0 && prev.bytes === bytes) return prev;
    return {
      bytes,
      time: now,
      speed: 0,
      history: withPoint(prev.history, { time: now, speed: 0 }),
    };
  }
  if (bytes === prev.bytes) {
    if (now - prev.time < STALL_MS || prev.speed === 0) return prev;
    return {
      bytes,
      time: prev.time,
      speed: 0,
      history: withPoint(prev.history, { time: now, speed: 0 }),
    };
  }
  const elapsed = now - prev.time;
  if (elapsed <= 0) return prev;
  // Bytes going down means the job restarted a file: measure from the new count.
  const delta = Math.max(0, bytes - prev.bytes);
  const sample = (delta * 1000) / elapsed;
  const speed = prev.speed === 0 ? sample : prev.speed * (1 - SMOOTHING) + sample * SMOOTHING;
  return { bytes, time: now, speed, history: withPoint(prev.history, { time: now, speed }) };
}

/**
 * Seconds left at the current speed, or null when it cannot be known.
 *
 * Unknown when the total is unknown, the job is not moving, or nothing is left to fetch.
 */
export function etaSeconds(job: JobInfo, speed: number): number | null {
  const total = job.progress.bytesTotal;
  if (total === null || speed <= 0 || !isMoving(job)) return null;
  const left = total - job.progress.bytesTransferred;
  if (left <= 0) return null;
  return Math.ceil(left / speed);
}

/** Fraction done in [0, 1], or null when the total is unknown (indeterminate bar). */
export function progressFraction(job: JobInfo): number | null {
  const total = job.progress.bytesTotal;
  if (total === null) return null;
  if (total === 0)
    return job.progress.filesTotal > 0 && job.progress.filesTransferred === job.progress.filesTotal
      ? 1
      : 0;
  return Math.min(1, job.progress.bytesTransferred / total);
}
