// Smoke test of the built desktop app in a real Electron: the window is sandboxed with no Node
// and loaded from app://ferry, window.ferry is the only bridge and reaches the engine, names
// outside the contract are refused, new windows are denied, a finished download shows in the
// tray and as an OS notification, and Quit stops the engine cleanly (the job is kept and the
// data directory's lock is released). Needs an Electron binary: see run-electron-smoke.mjs.
// Everything else of the shell runs without one in shell.test.ts, through the test platform.
import { expect, test, _electron } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FerryBridge } from '../../main/electron/bridge-client.js';
import { createEngine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The page's globals as the preload leaves them (page.evaluate bodies run in the page). */
type PageGlobals = typeof globalThis & { ferry: FerryBridge };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let dataDir: string;
let files: TestServer;
let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  const executablePath = process.env.FERRY_ELECTRON_PATH;
  if (executablePath === undefined) throw new Error('FERRY_ELECTRON_PATH is not set');
  dataDir = mkdtempSync(join(tmpdir(), 'ferry-electron-'));
  // Its own RPC port, so the test never meets a Ferry the user is running.
  const engine = createEngine({ dataDir });
  engine.setAppSettings({ rpcPort: await freePort(), notifications: true });
  await engine.close();
  files = await startTestServer();
  files.setFile('/smoke.bin', { body: { size: 100_000, seed: 7 } });
  app = await _electron.launch({
    executablePath,
    args: [root, '--no-sandbox'],
    // FERRY_SHELL_TRACE: the adapter records tray tooltips and notifications for this test.
    env: { ...process.env, FERRY_DATA_DIR: dataDir, FERRY_SHELL_TRACE: '1' },
    timeout: 30_000,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app.close().catch(() => undefined);
  await files.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the window is isolated and sandboxed, with window.ferry as its only bridge', async () => {
  // The options themselves are unit-tested (window-options.test.ts); here, their effect.
  const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  expect(windows).toBe(1);
  const page_ = await page.evaluate(() => ({
    keys: Object.keys((globalThis as unknown as { ferry: object }).ferry).sort(),
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    ipcRenderer: 'ipcRenderer' in globalThis,
  }));
  expect(page_).toEqual({
    keys: ['invoke', 'on', 'onConnection', 'onShellRequest'],
    require: 'undefined',
    process: 'undefined',
    ipcRenderer: false,
  });
});

test('commands reach the engine; unknown names and bad input are refused with their code', async () => {
  const info = await page.evaluate(() =>
    (globalThis as PageGlobals).ferry.invoke('engine.info', {}),
  );
  expect(info.host).toBe('desktop');
  expect(info.dataDir).toBe(dataDir);
  const refused = await page.evaluate(() =>
    (globalThis as PageGlobals).ferry.invoke('job.formatDisk' as 'engine.info', {}).then(
      () => 'resolved',
      (error: unknown) => (error as { code: string }).code,
    ),
  );
  expect(refused).toBe('RPC_UNKNOWN_COMMAND');
  const invalid = await page.evaluate(() =>
    (globalThis as PageGlobals).ferry.invoke('job.create', { displayName: '' }).then(
      () => 'resolved',
      (error: unknown) => (error as { code: string }).code,
    ),
  );
  expect(invalid).toBe('INPUT_INVALID');
});

test('the page comes from the app origin, never file://', () => {
  expect(page.url()).toMatch(/^app:\/\/ferry\//);
});

test('a finished download shows in the tray and as an OS notification', async () => {
  const url = files.url('/smoke.bin');
  const local = join(dataDir, 'smoke.bin');
  await page.evaluate(
    async ([url, local]) => {
      const { ferry } = globalThis as PageGlobals;
      const job = await ferry.invoke('job.create', { displayName: 'smoke' });
      await ferry.invoke('job.addFile', { jobId: job.id, remoteUrl: url, localName: local });
      await ferry.invoke('job.resume', { jobId: job.id });
    },
    [url, local] as const,
  );
  const trace = () =>
    app.evaluate(
      () =>
        (globalThis as { ferryShellTrace?: { toolTips: string[]; notes: string[] } })
          .ferryShellTrace,
    );
  await expect
    .poll(async () => (await trace())?.notes.join('\n'), { timeout: 20_000 })
    .toContain('Download finished: smoke: smoke.bin');
  const toolTips = (await trace())?.toolTips ?? [];
  expect(toolTips.some((tip) => tip.startsWith('Ferry: '))).toBe(true);
});

test('new windows are denied', async () => {
  const opened = await page.evaluate(() =>
    (globalThis as unknown as { open: (url: string) => unknown }).open('https://example.org/'),
  );
  expect(opened).toBeNull();
  expect(app.windows()).toHaveLength(1);
});

test('Quit stops the engine cleanly: the job is kept and the data directory is free', async () => {
  const job = await page.evaluate(() =>
    (globalThis as PageGlobals).ferry.invoke('job.create', { displayName: 'kept across quit' }),
  );
  await app.evaluate(({ app: electronApp }) => {
    electronApp.quit();
  });
  await app.waitForEvent('close', { timeout: 20_000 });
  const engine = createEngine({ dataDir });
  try {
    expect(engine.getJob(job.id).getDisplayName()).toBe('kept across quit');
  } finally {
    await engine.close();
  }
});
