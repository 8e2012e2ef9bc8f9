/**
 * Units the window's number fields offer, so people type "10 minutes" or "2 MB/s" rather
 * than raw engine numbers (600 seconds, 2097152 bytes per second). Sizes and speeds use
 * decimal units, as the list shows them.
 */

/** One unit: its i18n key under `units.` and how many base units (seconds, bytes) it is. */
export interface Unit {
  readonly key: string;
  readonly factor: number;
}

/** Durations, base unit the second. */
export const DURATION_UNITS: readonly Unit[] = [
  { key: 'seconds', factor: 1 },
  { key: 'minutes', factor: 60 },
  { key: 'hours', factor: 3600 },
  { key: 'days', factor: 86_400 },
];

/** Speeds, base unit the byte per second. */
export const SPEED_UNITS: readonly Unit[] = [
  { key: 'kBps', factor: 1000 },
  { key: 'MBps', factor: 1_000_000 },
];

/** Sizes, base unit the byte. */
export const SIZE_UNITS: readonly Unit[] = [
  { key: 'kB', factor: 1000 },
  { key: 'MB', factor: 1_000_000 },
  { key: 'GB', factor: 1_000_000_000 },
];

/**
 * The unit a value reads best in: the largest one it is a whole multiple of, below a thousand
 * of it (600 s is "10 minutes", 1209600 s "14 days"), else the largest it reaches at least
 * once, with up to two decimals (2500000 B/s is "2.5 MB/s"), else the smallest.
 */
export function bestUnit(value: number, units: readonly Unit[]): Unit {
  const sorted = [...units].sort((a, b) => b.factor - a.factor);
  const smallest = sorted[sorted.length - 1] ?? { key: 'seconds', factor: 1 };
  if (value === 0) return smallest;
  const whole = sorted.find(
    (u) => value >= u.factor && value % u.factor === 0 && value / u.factor < 1000,
  );
  if (whole !== undefined) return whole;
  return sorted.find((u) => value >= u.factor) ?? smallest;
}

/** A base value shown in a unit: at most two decimals, no trailing zeros. */
export function inUnit(value: number, unit: Unit): string {
  return String(Math.round((value / unit.factor) * 100) / 100);
}

/** Text typed in a unit back to a whole base value; null when it is not a number ≥ 0. */
export function fromUnit(text: string, unit: Unit): number | null {
  const n = Number(text.replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) return null;
  return Math.round(n * unit.factor);
}
