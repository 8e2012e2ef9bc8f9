import type { EngineSettings } from '../../../app/model/settings.js';

/**
 * The engine settings the dialog knows how to edit, and how each is shown.
 *
 * The engine may gain or lack fields between versions, so the dialog lists only the keys the
 * host actually reports, and only those of a known kind.
 */
export interface EngineField {
  readonly key: string;
  readonly kind: 'integer' | 'kibPerSecond' | 'text';
  readonly min?: number;
  readonly max?: number;
}

/** Known fields, in display order. */
export const ENGINE_FIELDS: readonly EngineField[] = [
  { key: 'maxConcurrentJobs', kind: 'integer', min: 1, max: 64 },
  { key: 'connectionsPerFile', kind: 'integer', min: 1, max: 16 },
  { key: 'concurrentFilesPerJob', kind: 'integer', min: 1, max: 64 },
  { key: 'speedLimit', kind: 'kibPerSecond', min: 0 },
  { key: 'defaultMinimumRetryDelay', kind: 'integer', min: 0 },
  { key: 'defaultNoProgressTimeout', kind: 'integer', min: 0 },
  { key: 'segmentStallTimeout', kind: 'integer', min: 1 },
  { key: 'proxy', kind: 'text' },
  { key: 'userAgent', kind: 'text' },
];

/** The known fields present in the host's settings with a value of the expected type. */
export function presentFields(engine: EngineSettings): EngineField[] {
  return ENGINE_FIELDS.filter((f) => {
    const v = engineValue(engine, f.key);
    return f.kind === 'text' ? typeof v === 'string' : typeof v === 'number';
  });
}

/** One engine setting by name, whatever the host's version defines. */
export function engineValue(engine: EngineSettings, key: string): unknown {
  return Object.hasOwn(engine, key)
    ? (Object.entries(engine).find(([k]) => k === key)?.[1] as unknown)
    : undefined;
}

/** A field's value as the form shows it (speed limits in KiB/s). */
export function toFormValue(field: EngineField, value: unknown): string {
  if (typeof value === 'number') {
    return field.kind === 'kibPerSecond' ? String(Math.round(value / 1024)) : String(value);
  }
  return typeof value === 'string' ? value : '';
}

/** A form value back to the setting's type; null when it is not a valid number. */
export function fromFormValue(field: EngineField, text: string): string | number | null {
  if (field.kind === 'text') return text;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return null;
  return field.kind === 'kibPerSecond' ? Math.round(n * 1024) : Math.round(n);
}
