import { readFileSync } from 'node:fs';

/** Replaced by the version string when scripts/build/cli.mjs bundles the CLI. */
declare const FERRY_BUILD_VERSION: string | undefined;

/**
 * Ferry's version: baked into the built CLI (which runs where no package.json is beside it,
 * e.g. from the packaged app's resources); read from package.json when run from source.
 */
export function ferryVersion(): string {
  if (typeof FERRY_BUILD_VERSION === 'string') return FERRY_BUILD_VERSION;
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed) {
      return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
    }
    return '0.0.0';
  } catch {
    return '0.0.0';
  }
}
