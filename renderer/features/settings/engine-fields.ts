import type { EngineSettings } from '../../../app/model/settings.js';
import { DURATION_UNITS, SIZE_UNITS, SPEED_UNITS } from '../../i18n/units.js';
import type { Unit } from '../../i18n/units.js';

/** The settings dialog's sections, in order. */
export const SETTINGS_SECTIONS = [
  'general',
  'connections',
  'speed',
  'network',
  'notifications',
  'advanced',
] as const;
/** One section. */
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/**
 * An engine setting the dialog edits, how it is shown (a plain count, or a number with a unit
 * picker for durations and sizes, or text) and in which section.
 *
 * The engine may gain or lack fields between versions, so the dialog lists only the keys the
 * host actually reports, and only those of a known kind.
 */
export interface EngineField {
  readonly key: string;
  readonly kind: 'integer' | 'duration' | 'size' | 'text';
  readonly section: SettingsSection;
  readonly min?: number;
  readonly max?: number;
}

/** Known fields, in display order. The speed limit and schedule have their own section. */
export const ENGINE_FIELDS: readonly EngineField[] = [
  { key: 'maxConcurrentJobs', kind: 'integer', section: 'connections', min: 1, max: 64 },
  { key: 'connectionsPerFile', kind: 'integer', section: 'connections', min: 1, max: 16 },
  { key: 'concurrentFilesPerJob', kind: 'integer', section: 'connections', min: 1, max: 64 },
  { key: 'segmentStallTimeout', kind: 'duration', section: 'connections', min: 1, max: 3600 },
  { key: 'minSegmentSize', kind: 'size', section: 'connections', min: 65_536 },
  { key: 'defaultMinimumRetryDelay', kind: 'duration', section: 'advanced', min: 0 },
  { key: 'defaultNoProgressTimeout', kind: 'duration', section: 'advanced', min: 0 },
  { key: 'defaultMaximumDownloadTime', kind: 'duration', section: 'advanced', min: 0 },
  { key: 'jobInactivityTimeout', kind: 'duration', section: 'advanced', min: 0 },
  { key: 'syncInterval', kind: 'duration', section: 'advanced', min: 1, max: 600 },
  { key: 'userAgent', kind: 'text', section: 'advanced' },
  { key: 'extraCaCertificates', kind: 'text', section: 'network' },
];

/** The unit choices of a field, or null for plain numbers and text. */
export function unitsOf(field: EngineField): readonly Unit[] | null {
  if (field.kind === 'duration') return DURATION_UNITS;
  if (field.kind === 'size') return SIZE_UNITS;
  return null;
}

/** Units the speed limits are edited in. */
export const SPEED_LIMIT_UNITS = SPEED_UNITS;

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

/** Whether a value fits the field's bounds (the host checks again and names the problem). */
export function inBounds(field: EngineField, value: number): boolean {
  return (
    Number.isInteger(value) &&
    (field.min === undefined || value >= field.min) &&
    (field.max === undefined || value <= field.max)
  );
}
