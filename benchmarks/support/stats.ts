/**
 * Summary statistics of benchmark samples: median with min and max.
 *
 * A benchmark on a shared machine is noisy; the median of a few runs with its spread says more
 * than a mean, and the spread shows how far one run can be trusted.
 */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** The median of the samples (mean of the two middle ones for an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[mid - 1] ?? Number.NaN;
  return (lower + upper) / 2;
}

/** Median, min, max and count of the samples (all NaN when there are none). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    n: samples.length,
  };
}

/** `a / b`, or NaN when either is not a finite number or `b` is 0. */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** A number with `digits` decimals, or "–" for NaN/infinite (a missing measurement). */
export function formatNumber(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** "median (min–max)", or just the median when every sample was the same or there is one. */
export function formatSummary(summary: Summary, digits = 1): string {
  const mid = formatNumber(summary.median, digits);
  if (summary.n <= 1 || summary.min === summary.max) return mid;
  return `${mid} (${formatNumber(summary.min, digits)}–${formatNumber(summary.max, digits)})`;
}

/** A ratio as "1.23×", or "–" when it could not be computed. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${formatNumber(value, 2)}×` : '–';
}

/** Bytes per second over `ms` milliseconds, in decimal MB/s (10^6 bytes, as the issue counts). */
export function megabytesPerSecond(bytes: number, ms: number): number {
  if (ms <= 0) return Number.NaN;
  return bytes / 1e6 / (ms / 1000);
}

/** CPU seconds per GiB (2^30 bytes) moved. */
export function cpuSecondsPerGiB(cpuSeconds: number, bytes: number): number {
  if (bytes <= 0) return Number.NaN;
  return cpuSeconds / (bytes / 2 ** 30);
}
