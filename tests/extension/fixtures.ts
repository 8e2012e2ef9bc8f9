import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, test as base, expect } from '@playwright/test';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import type { JobDetails } from '../../app/index.js';
import type { WebSocketClient } from '../../app/ws-client.js';
import { createWebSocketClient } from '../../app/ws-client.js';
import { openNodeSocket } from '../../main/cli/node-socket.js';
import { isProcessAlive, readToken } from '../../main/cli/server-record.js';
import { readServerInfoSync } from '../../main/server/server-info.js';
import { FERRY_CHROMIUM_EXTENSION_ID } from '../../main/native-host/manifests.js';
import { REPO_ROOT } from '../support/child-process.js';
import { spawnServe } from '../server/serve-process.js';
import type { ServeChild } from '../server/serve-process.js';
import type { Site } from './site.js';
import { startSite } from './site.js';
import type { BrowserProcess } from './browser-process.js';
import { startBrowserProcess } from './browser-process.js';

export { expect };

const run = promisify(execFile);
const FERRY_BIN = join(REPO_ROOT, 'bin', 'ferry.js');
const EXTENSION_DIR = join(REPO_ROOT, 'dist', 'extension', 'chromium');

/** A running Ferry with its data directory, an RPC client, and its CLI. */
export interface Ferry {
  readonly dataDir: string;
  /** The RPC's loopback port. */
  readonly port: number;
  /** The window's address, with its token. */
  readonly url: string;
  readonly downloads: string;
  readonly client: WebSocketClient;
  /** Runs `ferry --data-dir <dataDir> ARGS…` and returns its stdout. */
  cli(...args: string[]): Promise<string>;
  /** Every job, history included. */
  jobs(): Promise<JobDetails[]>;
}

/** Chromium with the unpacked extension, in a profile where Ferry's native host is registered. */
export interface ExtensionBrowser {
  readonly context: BrowserContext;
  readonly extensionId: string;
  /** The extension's service worker (its background). */
  readonly background: Worker;
  /** Where the browser saves the downloads it keeps. */
  readonly downloadsPath: string;
  /** The extension's popup, opened as a page. */
  openPopup(): Promise<Page>;
  /** Changes the extension's capture settings (what its options page stores). */
  setCaptureSettings(settings: Record<string, unknown>): Promise<void>;
  /**
   * Runs the extension's context-menu handler as a click on `menuItemId` would, in the tab
   * showing `pageUrl` (a native context menu cannot be clicked in headless Chromium).
   */
  clickMenu(menuItemId: string, pageUrl: string, info?: Record<string, unknown>): Promise<void>;
  /** The browser's downloads (chrome.downloads.search), as the extension sees them. */
  downloads(): Promise<{ id: number; url: string; state: string; filename: string }[]>;
}

/** The part of the extension API the tests call inside the extension. */
interface ChromeInBackground {
  readonly storage: { readonly local: { set(items: Record<string, unknown>): Promise<void> } };
  readonly downloads: {
    search(query: object): Promise<{ id: number; url: string; state: string; filename: string }[]>;
  };
}

interface Fixtures {
  /** The browser's language (`test.use({ browserLanguage: 'fr' })`). */
  readonly browserLanguage: string;
  readonly root: string;
  readonly ferry: Ferry;
  readonly site: Site;
  readonly ext: ExtensionBrowser;
}

export const test = base.extend<Fixtures>({
  browserLanguage: ['en', { option: true }],

  // eslint-disable-next-line no-empty-pattern
  root: async ({}, use) => {
    const root = await mkdtemp(join(tmpdir(), 'ferry-extension-'));
    await use(root);
    await rm(root, { recursive: true, force: true });
  },

  ferry: async ({ root }, use) => {
    const dataDir = join(root, 'data');
    const downloads = join(root, 'downloads');
    const serve: ServeChild = spawnServe(['--data-dir', dataDir, '--port', '0']);
    try {
      const serving = await serve.serving();
      const client = createWebSocketClient({
        url: serving.rpcUrl,
        token: readToken(dataDir),
        open: openNodeSocket,
        reconnect: false,
      });
      await client.invoke('settings.set', { app: { downloadFolder: downloads } });
      const cli = async (...args: string[]): Promise<string> =>
        (
          await run(process.execPath, [FERRY_BIN, '--data-dir', dataDir, '--no-start', ...args], {
            cwd: REPO_ROOT,
          })
        ).stdout;
      const jobs = () => client.invoke('jobs.enum', { includeHistory: true });
      await use({ dataDir, port: serving.port, url: serving.url, downloads, client, cli, jobs });
      client.close();
    } finally {
      await serve.kill('SIGTERM');
      // A native host the browser started late may have started a server of its own for this
      // data directory (as it should when none runs): stop it too, so no test leaves one.
      const late = readServerInfoSync(dataDir);
      if (late !== null && late.pid !== serve.pid && isProcessAlive(late.pid)) {
        process.kill(late.pid, 'SIGTERM');
      }
    }
  },

  // eslint-disable-next-line no-empty-pattern
  site: async ({}, use) => {
    const site = await startSite();
    await use(site);
    await site.close();
  },

  ext: async ({ root, ferry, browserLanguage }, use) => {
    const profile = join(root, 'profile');
    // The host is registered in the profile itself: Chromium reads per-user native hosts from
    // <user data dir>/NativeMessagingHosts, so the test touches nothing outside its folder.
    await ferry.cli(
      'integrate',
      '--install',
      '--browser',
      'chromium',
      '--manifest-dir',
      join(profile, 'NativeMessagingHosts'),
    );
    const downloadsPath = join(root, 'browser-downloads');
    const chrome = await launchChromium(profile, downloadsPath, browserLanguage);
    // noDefaults: Playwright leaves downloads to the browser, as for a user's own browser (its
    // own download handling would bypass the extension's onDeterminingFilename).
    const connected = await chromium.connectOverCDP(chrome.endpoint, { noDefaults: true });
    const context = connected.contexts()[0];
    if (context === undefined) throw new Error('Chromium has no default context');
    try {
      const background =
        context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
        (await context.waitForEvent('serviceworker'));
      const extensionId = new URL(background.url()).host;
      expect(extensionId, 'the key in the manifest fixes the id').toBe(FERRY_CHROMIUM_EXTENSION_ID);
      await use({
        context,
        extensionId,
        background,
        downloadsPath,
        openPopup: async () => {
          const popup = await context.newPage();
          await popup.goto(`chrome-extension://${extensionId}/popup.html`);
          return popup;
        },
        setCaptureSettings: (settings) =>
          background.evaluate(
            (value) =>
              (globalThis as unknown as { chrome: ChromeInBackground }).chrome.storage.local.set({
                captureSettings: value,
              }),
            settings,
          ),
        clickMenu: (menuItemId, pageUrl, info = {}) =>
          background.evaluate(
            async ({ menuItemId, pageUrl, info }) => {
              const scope = globalThis as unknown as {
                chrome: { tabs: { query(q: object): Promise<{ id: number; url: string }[]> } };
                ferryMenus: { click(info: object, tab?: object): Promise<void> };
              };
              const tabs = await scope.chrome.tabs.query({});
              const tab = tabs.find((t) => t.url === pageUrl);
              await scope.ferryMenus.click({ menuItemId, pageUrl, frameId: 0, ...info }, tab);
            },
            { menuItemId, pageUrl, info },
          ),
        downloads: () =>
          background.evaluate(() =>
            (globalThis as unknown as { chrome: ChromeInBackground }).chrome.downloads.search({}),
          ),
      });
    } finally {
      await connected.close();
      await chrome.stop();
    }
  },
});

/**
 * Starts Debian's Chromium on a profile (downloads saved to `downloadsPath` without asking),
 * with the unpacked extension, and returns its DevTools endpoint.
 */
async function launchChromium(
  profile: string,
  downloadsPath: string,
  language: string,
): Promise<BrowserProcess> {
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({
      download: { default_directory: downloadsPath, prompt_for_download: false },
      savefile: { default_directory: downloadsPath },
    }),
  );
  return startBrowserProcess(
    process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--remote-debugging-port=0',
      `--lang=${language}`,
      `--user-data-dir=${profile}`,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      'about:blank',
    ],
    /DevTools listening on (ws:\/\/\S+)/,
    // On Linux, Chromium takes its UI language (and extensions theirs) from LANGUAGE.
    { ...process.env, LANGUAGE: language },
  );
}

/** Waits until `probe` returns a value that is not undefined (polling every 50 ms). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
