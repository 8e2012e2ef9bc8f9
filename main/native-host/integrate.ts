import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IntegrationState } from '../../app/index.js';
import { FerryError, INTEGRATION_BROWSERS, NATIVE_HOST_NAME } from '../../app/index.js';
import type { HostLocation, IntegrationBrowser } from './manifests.js';
import { hostLocation, hostManifest, manifestFlavour } from './manifests.js';

/**
 * The built CLI the launcher runs in host mode (`npm run build`; in the packaged app it sits in
 * app.asar.unpacked). Relative to this module, so it resolves alike from the sources and from
 * the bundle in dist/cli/.
 */
const FERRY_BIN = fileURLToPath(new URL('../../dist/cli/ferry.mjs', import.meta.url));

/** Sets or deletes a registry key's default value (Windows); a port so tests can record it. */
export interface Registry {
  setDefault(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What `ferry integrate` works with. */
export interface IntegrateOptions {
  readonly dataDir: string;
  readonly browsers: readonly IntegrationBrowser[];
  /** Write the manifests into this folder instead of the browsers' own (a custom profile). */
  readonly manifestDir?: string;
  /** More extension ids allowed to start the host (a store build, a development copy). */
  readonly extraIds?: readonly string[];
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  readonly registry?: Registry;
  /** The Node binary the launcher runs (default: this one). */
  readonly nodePath?: string;
}

/** One browser's outcome, for the command's report. */
export interface IntegrationResult {
  readonly browser: IntegrationBrowser;
  readonly manifestPath: string;
  readonly registryKey: string | null;
}

/**
 * Registers Ferry's native messaging host: a launcher in `<dataDir>/native-host/` that runs
 * `ferry --data-dir <dataDir> native-host`, and for each browser a host manifest naming it,
 * where that browser looks (or in `manifestDir`). Installing again rewrites both, so it also
 * repairs a moved Node binary or checkout.
 */
export async function installIntegration(options: IntegrateOptions): Promise<IntegrationResult[]> {
  const platform = options.platform ?? process.platform;
  const launcher = writeLauncher(options.dataDir, platform, options.nodePath ?? process.execPath);
  const results: IntegrationResult[] = [];
  for (const browser of options.browsers) {
    const location = locate(browser, options, platform);
    const manifest = hostManifest(browser, launcher, options.extraIds ?? []);
    writeFileAtomically(location.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
    if (location.kind === 'registry') {
      await registryOf(options).setDefault(location.key, location.manifestPath);
    }
    results.push(resultOf(browser, location));
  }
  return results;
}

/**
 * Removes what `installIntegration` wrote for these browsers: their manifests (only files
 * that describe Ferry's host), registry keys, and the launcher once no browser is left.
 */
export async function uninstallIntegration(
  options: IntegrateOptions,
): Promise<IntegrationResult[]> {
  const platform = options.platform ?? process.platform;
  const results: IntegrationResult[] = [];
  for (const browser of options.browsers) {
    const location = locate(browser, options, platform);
    if (describesFerryHost(location.manifestPath)) rmSync(location.manifestPath, { force: true });
    if (location.kind === 'registry') await registryOf(options).delete(location.key);
    results.push(resultOf(browser, location));
  }
  const all = new Set<IntegrationBrowser>(options.browsers);
  if (all.size === 4 && options.manifestDir === undefined) {
    rmSync(join(options.dataDir, 'native-host'), { recursive: true, force: true });
  }
  return results;
}

/** The launcher's path for a data directory on a platform. */
export function launcherPath(dataDir: string, platform: NodeJS.Platform): string {
  const name = platform === 'win32' ? 'ferry-native-host.cmd' : 'ferry-native-host';
  return join(dataDir, 'native-host', name);
}

/**
 * The launcher's text: browsers start a host without arguments of our choosing, so the data
 * directory and the host mode are baked into a tiny script.
 */
export function launcherScript(
  platform: NodeJS.Platform,
  nodePath: string,
  bin: string,
  dataDir: string,
  asNode = false,
): string {
  // An Electron binary runs plain Node scripts only with ELECTRON_RUN_AS_NODE set.
  if (platform === 'win32') {
    const q = (text: string): string => `"${text.replace(/"/g, '""')}"`;
    const env = asNode ? 'set ELECTRON_RUN_AS_NODE=1\r\n' : '';
    return `@echo off\r\nrem Ferry's native messaging host, started by the browser for Ferry's extension.\r\n${env}${q(nodePath)} ${q(bin)} --data-dir ${q(dataDir)} native-host %*\r\n`;
  }
  const q = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  const env = asNode ? 'ELECTRON_RUN_AS_NODE=1 ' : '';
  return `#!/bin/sh\n# Ferry's native messaging host, started by the browser for Ferry's extension.\n${env}exec ${q(nodePath)} ${q(bin)} --data-dir ${q(dataDir)} native-host "$@"\n`;
}

function writeLauncher(dataDir: string, platform: NodeJS.Platform, nodePath: string): string {
  const path = launcherPath(dataDir, platform);
  // process.versions has no `electron` key under plain Node; the typing says it always has.
  const versions: Partial<Record<string, string>> = process.versions;
  const asNode = nodePath === process.execPath && versions['electron'] !== undefined;
  writeFileAtomically(path, launcherScript(platform, nodePath, FERRY_BIN, dataDir, asNode), 0o755);
  return path;
}

/**
 * Which browsers have Ferry's host registered for this data directory: a manifest of Ferry's
 * host at the browser's place whose launcher is this data directory's.
 */
export function integrationStatus(
  options: Pick<IntegrateOptions, 'dataDir' | 'platform' | 'env' | 'home'>,
): IntegrationState[] {
  const platform = options.platform ?? process.platform;
  const launcher = launcherPath(options.dataDir, platform);
  return INTEGRATION_BROWSERS.map((browser) => {
    const location = hostLocation(browser, platform, options.dataDir, options.env, options.home);
    return {
      browser,
      installed: manifestLauncher(location.manifestPath) === launcher,
      manifestPath: location.manifestPath,
    };
  });
}

/** The `path` of a manifest of Ferry's host, or null when the file is not one. */
function manifestLauncher(path: string): string | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    if (!('name' in parsed) || parsed.name !== NATIVE_HOST_NAME) return null;
    return 'path' in parsed && typeof parsed.path === 'string' ? parsed.path : null;
  } catch {
    return null;
  }
}

function locate(
  browser: IntegrationBrowser,
  options: IntegrateOptions,
  platform: NodeJS.Platform,
): HostLocation {
  if (options.manifestDir !== undefined) {
    const flavours = new Set(options.browsers.map(manifestFlavour));
    if (flavours.size > 1) {
      throw new FerryError(
        'INPUT_INVALID',
        'NONE',
        'A manifest folder holds one browser family: name Firefox or the Chromium-based browsers, not both',
      );
    }
    return { kind: 'folder', manifestPath: join(options.manifestDir, `${NATIVE_HOST_NAME}.json`) };
  }
  return hostLocation(browser, platform, options.dataDir, options.env, options.home);
}

function resultOf(browser: IntegrationBrowser, location: HostLocation): IntegrationResult {
  return {
    browser,
    manifestPath: location.manifestPath,
    registryKey: location.kind === 'registry' ? location.key : null,
  };
}

/** Whether the file is a manifest of Ferry's host (never delete someone else's file). */
function describesFerryHost(path: string): boolean {
  return manifestLauncher(path) !== null;
}

function writeFileAtomically(path: string, text: string, mode: number): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text, { mode });
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (cause) {
    throw new FerryError(
      'DISK_ACCESS_DENIED',
      'LOCAL_FILE',
      `Cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

function registryOf(options: IntegrateOptions): Registry {
  return options.registry ?? windowsRegistry;
}

/** `reg.exe`, the registry tool every Windows has. */
const windowsRegistry: Registry = {
  setDefault: (key, value) => reg(['add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f']),
  delete: (key) => reg(['delete', key, '/f']).catch(() => undefined),
};

function reg(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('reg', args, { windowsHide: true }, (error, _stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      reject(
        new FerryError(
          'DISK_ACCESS_DENIED',
          'NONE',
          `reg ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || error.message}`,
          { cause: error },
        ),
      );
    });
  });
}
