/**
 * Locale-aware formatting of sizes, speeds, durations and dates, with Intl only.
 *
 * Formatters are cached per locale: building an Intl formatter costs far more than using one,
 * and a 10,000-row list formats on every batch.
 */

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!(f instanceof Intl.NumberFormat)) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

function scaled(bytes: number): { value: number; unit: (typeof BYTE_UNITS)[number] } {
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < BYTE_UNITS.length - 1) {
    value /= 1000;
    i += 1;
  }
  return { value, unit: BYTE_UNITS[i] ?? 'byte' };
}

/**
 * Plain bytes with the unit's narrow symbol and a space ("512 B", "512 o"): the short form
 * spells "byte", which reads oddly beside "kB" and "MB".
 */
function formatPlainBytes(value: number, locale: string, perSecond: boolean): string {
  const parts = numberFormat(locale, {
    style: 'unit',
    unit: perSecond ? 'byte-per-second' : 'byte',
    unitDisplay: 'narrow',
    maximumFractionDigits: 0,
  }).formatToParts(value);
  const number = parts
    .filter((p) => p.type !== 'unit' && p.type !== 'literal')
    .map((p) => p.value)
    .join('');
  const unit = parts
    .filter((p) => p.type === 'unit')
    .map((p) => p.value)
    .join('');
  return `${number}\u00a0${unit}`;
}

/** A size such as "1.5 MB" / "1,5 Mo" (decimal units, as file managers show them). */
export function formatBytes(bytes: number, locale: string): string {
  const { value, unit } = scaled(bytes);
  if (unit === 'byte') return formatPlainBytes(value, locale, false);
  return numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** A speed such as "2.3 MB/s" / "2,3 Mo/s". */
export function formatSpeed(bytesPerSecond: number, locale: string): string {
  const { value, unit } = scaled(bytesPerSecond);
  if (unit === 'byte') return formatPlainBytes(value, locale, true);
  return numberFormat(locale, {
    style: 'unit',
    unit: `${unit}-per-second`,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** A duration such as "1 h 5 min" or "42 s", two units at most. */
export function formatDuration(totalSeconds: number, locale: string): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const parts: [number, 'day' | 'hour' | 'minute' | 'second'][] = [
    [Math.floor(s / 86_400), 'day'],
    [Math.floor((s % 86_400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return numberFormat(locale, { style: 'unit', unit: 'second' }).format(0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) =>
      numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n),
    )
    .join(' ');
}

/** A percentage such as "42 %" / "42 %" with the locale's spacing. */
export function formatPercent(fraction: number, locale: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** A plain number with the locale's grouping. */
export function formatNumber(n: number, locale: string): string {
  return numberFormat(locale, {}).format(n);
}

/** A date and time in the locale's medium style. */
export function formatDateTime(ms: number, locale: string): string {
  const key = `d|${locale}`;
  let f = cache.get(key);
  if (!(f instanceof Intl.DateTimeFormat)) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    cache.set(key, f);
  }
  return f.format(ms);
}
