import { homedir } from 'node:os';
import { join, win32 } from 'node:path';
import type { IntegrationBrowser } from '../../app/index.js';
import { NATIVE_HOST_NAME } from '../../app/index.js';

/**
 * Where each browser looks for Ferry's native messaging host, and what the host's manifest
 * says: which program to start and which extensions may start it.
 *
 * Paths are the per-user ones the browsers document (Chrome's "Native messaging" page,
 * MDN's "Native manifests"): a folder of JSON manifests on Linux and macOS, a registry key
 * under HKCU pointing at the manifest on Windows.
 */

export { INTEGRATION_BROWSERS } from '../../app/index.js';
export type { IntegrationBrowser } from '../../app/index.js';

/**
 * The id of Ferry's extension for Chromium-based browsers when loaded from dist/extension
 * (fixed by the public `key` in its manifest).
 */
export const FERRY_CHROMIUM_EXTENSION_ID = 'bnkancopcdgnnfppgbepbplhmbojaieo';

/** The add-on id of Ferry's extension for Firefox (`browser_specific_settings.gecko.id`). */
export const FERRY_FIREFOX_EXTENSION_ID = 'ferry-extension@ferry.app';

/** The manifest format a browser reads. */
export function manifestFlavour(browser: IntegrationBrowser): 'chromium' | 'firefox' {
  return browser === 'firefox' ? 'firefox' : 'chromium';
}

/** A native host manifest as a browser reads it. */
export type HostManifest =
  | {
      readonly name: string;
      readonly description: string;
      readonly path: string;
      readonly type: 'stdio';
      readonly allowed_origins: readonly string[];
    }
  | {
      readonly name: string;
      readonly description: string;
      readonly path: string;
      readonly type: 'stdio';
      readonly allowed_extensions: readonly string[];
    };

const DESCRIPTION = 'Ferry download manager: receives downloads from the Ferry extension';

/**
 * The manifest for one browser: the launcher to start, and Ferry's own extension id plus any
 * extra ids (a store build, a development copy) allowed to start it.
 */
export function hostManifest(
  browser: IntegrationBrowser,
  launcher: string,
  extraIds: readonly string[] = [],
): HostManifest {
  if (manifestFlavour(browser) === 'firefox') {
    return {
      name: NATIVE_HOST_NAME,
      description: DESCRIPTION,
      path: launcher,
      type: 'stdio',
      allowed_extensions: unique([FERRY_FIREFOX_EXTENSION_ID, ...extraIds.filter(isFirefoxId)]),
    };
  }
  return {
    name: NATIVE_HOST_NAME,
    description: DESCRIPTION,
    path: launcher,
    type: 'stdio',
    allowed_origins: unique(
      [FERRY_CHROMIUM_EXTENSION_ID, ...extraIds.filter(isChromiumId)].map(
        (id) => `chrome-extension://${id}/`,
      ),
    ),
  };
}

/** Where a browser finds the host on this platform. */
export type HostLocation =
  | { readonly kind: 'folder'; readonly manifestPath: string }
  | {
      readonly kind: 'registry';
      /** The key whose default value is the manifest's path. */
      readonly key: string;
      readonly manifestPath: string;
    };

/** Where `browser` looks for Ferry's host manifest on `platform`. */
export function hostLocation(
  browser: IntegrationBrowser,
  platform: NodeJS.Platform,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): HostLocation {
  const file = `${NATIVE_HOST_NAME}.json`;
  if (platform === 'win32') {
    const keys: Record<IntegrationBrowser, string> = {
      chrome: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts',
      chromium: 'HKCU\\Software\\Chromium\\NativeMessagingHosts',
      edge: 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
      firefox: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts',
    };
    return {
      kind: 'registry',
      key: `${keys[browser]}\\${NATIVE_HOST_NAME}`,
      manifestPath: win32.join(dataDir, 'native-host', `${browser}.json`),
    };
  }
  if (platform === 'darwin') {
    const support = join(home, 'Library', 'Application Support');
    const folders: Record<IntegrationBrowser, string> = {
      chrome: join(support, 'Google', 'Chrome', 'NativeMessagingHosts'),
      chromium: join(support, 'Chromium', 'NativeMessagingHosts'),
      edge: join(support, 'Microsoft Edge', 'NativeMessagingHosts'),
      firefox: join(support, 'Mozilla', 'NativeMessagingHosts'),
    };
    return { kind: 'folder', manifestPath: join(folders[browser], file) };
  }
  const config = env['XDG_CONFIG_HOME'] ?? join(home, '.config');
  const folders: Record<IntegrationBrowser, string> = {
    chrome: join(config, 'google-chrome', 'NativeMessagingHosts'),
    chromium: join(config, 'chromium', 'NativeMessagingHosts'),
    edge: join(config, 'microsoft-edge', 'NativeMessagingHosts'),
    firefox: join(home, '.mozilla', 'native-messaging-hosts'),
  };
  return { kind: 'folder', manifestPath: join(folders[browser], file) };
}

function isChromiumId(id: string): boolean {
  return /^[a-p]{32}$/.test(id);
}

function isFirefoxId(id: string): boolean {
  return !isChromiumId(id);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
