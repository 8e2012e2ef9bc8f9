import { z } from 'zod';

/**
 * The extension's own settings, kept in `storage.local` and edited on its options page and
 * the popup's switch. Parsed on every read: a damaged or older entry falls back to defaults
 * field by field instead of breaking capture.
 */

import { BYPASS_KEYS } from './bypass-key.js';

export { BYPASS_KEYS } from './bypass-key.js';
export type { BypassKey } from './bypass-key.js';

/** File types captured whatever their size (what download managers are used for). */
export const DEFAULT_FILE_TYPES = [
  '7z',
  'apk',
  'appimage',
  'avi',
  'bin',
  'bz2',
  'deb',
  'dmg',
  'exe',
  'flac',
  'gz',
  'img',
  'iso',
  'mkv',
  'mov',
  'mp3',
  'mp4',
  'msi',
  'pkg',
  'rar',
  'rpm',
  'tar',
  'tgz',
  'torrent',
  'wav',
  'webm',
  'xz',
  'zip',
  'zst',
];

/** Extension of a file type: letters and digits, without the dot. */
const fileType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]{1,16}$/);

/** A site to leave alone: a host name, its subdomains included. */
const site = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]{1,253}$/);

/** The settings' schema; every field has its default. */
export const captureSettingsSchema = z.object({
  /** Capture downloads at all (the popup's switch). */
  enabled: z.boolean().catch(true),
  /** Downloads at least this big are captured whatever their type (bytes; 0: every size). */
  minBytes: z
    .number()
    .int()
    .nonnegative()
    .catch(2 * 1024 * 1024),
  /** Types captured whatever their size. */
  fileTypes: z.array(fileType).max(500).catch(DEFAULT_FILE_TYPES),
  /** Sites whose downloads stay in the browser. */
  excludedSites: z.array(site).max(500).catch([]),
  /** Hand Ferry the page's cookies for the download's URL (sites that need a login). */
  shareCookies: z.boolean().catch(false),
  /** Held while clicking a link: the browser keeps that download. */
  bypassKey: z.enum(BYPASS_KEYS).catch('alt'),
});

/** The extension's settings. */
export type CaptureSettings = z.output<typeof captureSettingsSchema>;

/** The defaults. */
export const DEFAULT_CAPTURE_SETTINGS: CaptureSettings = captureSettingsSchema.parse({});

/** Storage key of the settings. */
export const CAPTURE_SETTINGS_KEY = 'captureSettings';

/** Reads stored settings: anything unreadable becomes its default. */
export function parseCaptureSettings(stored: unknown): CaptureSettings {
  const parsed = captureSettingsSchema.safeParse(
    typeof stored === 'object' && stored !== null ? stored : {},
  );
  return parsed.success ? parsed.data : DEFAULT_CAPTURE_SETTINGS;
}

/** Splits a list typed by the user (commas, spaces, new lines) into entries. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim().replace(/^\*?\./, ''))
    .filter((entry) => entry.length > 0);
}
