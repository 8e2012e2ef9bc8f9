// The whole desktop shell, run through the test platform (support/test-platform.ts): the real
// lifecycle (desktop-main.ts), desktop-app wiring, IPC, tray, notifications, power and network
// handling, with the real renderer and preload logic in Debian's Chromium and a real engine on
// a temporary data directory downloading from a loopback server. Only electron-platform.ts,
// the Electron adapter, does not run here (the binary cannot be downloaded).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, JobId, JobState } from '../../app/index.js';
import { NotifyFlag } from '../../app/index.js';
import { DESKTOP_CSP } from '../../app/csp.js';
import type { FerryBridge } from '../../main/electron/bridge-client.js';
import type { DesktopApp } from '../../main/electron/desktop-app.js';
import { runDesktop } from '../../main/electron/desktop-main.js';
import { iconPng } from '../../main/electron/tray-icon.js';
import { createEngine } from '../../main/engine/index.js';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { makeTempDir, waitFor } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { createTestPlatform } from './support/test-platform.js';
import type { TestPlatform, TestWindow } from './support/test-platform.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SLOW: TestFile = { body: { size: 3_000_000, seed: 21 }, throttleBytesPerSec: 400_000 };

/** The page's globals: the preload's bridge, and what the tests record there. */
type PageGlobals = typeof globalThis & {
  ferry: FerryBridge;
  seen?: { event: EventName; jobId: string }[];
};

/** The page-side globals a simulated drop needs (tests compile without DOM types). */
interface DropGlobals {
  readonly DataTransfer: new () => { setData(type: string, data: string): void };
  readonly DragEvent: new (
    type: string,
    init: { bubbles: boolean; cancelable: boolean; dataTransfer: unknown },
  ) => unknown;
  readonly document: { readonly body: { dispatchEvent(event: unknown): boolean } };
}

let dir: TempDir;
let server: TestServer;
let platform: TestPlatform;
let desktop: DesktopApp;
let engine: Engine;
let window: TestWindow;
let downloads: string;
const dataDir = (): string => join(dir.path, 'data');

/** Builds the renderer where desktopPaths looks for it: <dir>/renderer beside <dir>/electron. */
function buildRenderer(into: string): void {
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '-c',
      'renderer/build/vite.config.ts',
      '--outDir',
      join(into, 'renderer'),
      '--emptyOutDir',
      '--logLevel',
      'error',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, `renderer build failed: ${result.stderr}`);
}

before(async () => {
  dir = makeTempDir('ferry-shell-');
  downloads = join(dir.path, 'downloads');
  mkdirSync(downloads);
  buildRenderer(dir.path);
  server = await startTestServer();
  server.setFile('/slow.bin', SLOW);
  for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
    server.setFile(`/${name}.bin`, { body: { size: 20_000, seed: name.charCodeAt(0) } });
  }
  // Drops and second launches queue straight into `downloads`; no RPC endpoint.
  const seed = createEngine({ dataDir: dataDir(), env: {} });
  seed.setAppSettings({ dropAction: 'queue', downloadFolder: downloads, rpcEnabled: false });
  await seed.close();

  platform = await createTestPlatform({ argv: ['ferry', server.url('/a.bin')] });
  const started = await runDesktop(platform, {
    mainDir: join(dir.path, 'electron'),
    env: {},
    overrides: {
      dataDir: dataDir(),
      engineOptions: {
        user: 'tester',
        minimumRetryDelayFloor: 0,
        notificationIntervalMs: 50,
        env: {},
      },
      networkClock: platform.networkClock,
    },
  });
  assert.ok(started !== null, 'the desktop app started');
  desktop = started;
  engine = desktop.engine;
  const [first] = platform.windows;
  assert.ok(first !== undefined, 'a window was created');
  window = first;
  await window.loaded;
  await waitFor(() => window.visible, 'the window to show once ready');
});

after(async () => {
  await platform.dispose();
  await server.close();
  dir.cleanup();
});

const page = () => window.page();

/** Every job, live and in history. */
function allJobs(): Job[] {
  return [
    ...engine.enumJobs({ allUsers: true }),
    ...engine.history().map((job) => engine.getJob(job.id)),
  ];
}

/** The job one of whose files comes from `path` on the test server. */
function jobFor(path: string): JobId | undefined {
  const url = server.url(path);
  return allJobs()
    .find((job) => job.enumFiles().some((file) => file.remoteName === url))
    ?.getId();
}

function stateOf(id: JobId): JobState {
  return engine.getJob(id).getState();
}

/** A SUSPENDED job with one file, created and configured through the window's bridge. */
async function jobFromWindow(name: string, path: string, flags: number): Promise<JobId> {
  return page().evaluate<JobId, readonly [string, string, string, number]>(
    async ([name, url, local, flags]) => {
      const { ferry } = globalThis as PageGlobals;
      const job = await ferry.invoke('job.create', { displayName: name });
      await ferry.invoke('job.addFile', { jobId: job.id, remoteUrl: url, localName: local });
      await ferry.invoke('job.setNotifyFlags', { jobId: job.id, flags });
      return job.id;
    },
    [name, server.url(path), join(downloads, `${name}.bin`), flags] as const,
  );
}

describe('the desktop shell through the platform port', () => {
  it('loads the real renderer from the app origin, with the CSP header and window.ferry', async () => {
    assert.ok(page().url().startsWith(`${platform.appOrigin}/`), page().url());
    assert.equal(platform.appCsp, DESKTOP_CSP);
    const response = await fetch(`${platform.appOrigin}/index.html`);
    assert.equal(response.headers.get('content-security-policy'), DESKTOP_CSP);
    const bridge = await page().evaluate(() => {
      const { ferry } = globalThis as PageGlobals;
      return Object.keys(ferry).sort();
    });
    assert.deepEqual(bridge, ['invoke', 'on', 'onConnection', 'onShellRequest']);
    // The sandboxed window options reached the platform.
    assert.equal(window.options.webPreferences.sandbox, true);
    assert.equal(window.options.webPreferences.contextIsolation, true);
  });

  it('refuses paths that leave the renderer folder, however encoded', async () => {
    // The request line as sent (a client may normalise `%2e%2e` itself: then it asks for a
    // path inside the folder that does not exist, and gets 404).
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cx']) {
      const response = await fetch(`${platform.appOrigin}${path}`);
      assert.ok([403, 404].includes(response.status), `${path}: ${response.status}`);
      assert.doesNotMatch(await response.text(), /root:/);
    }
    assert.equal((await fetch(`${platform.appOrigin}/missing.js`)).status, 404);
  });

  it("queues the URLs on the first launch's command line", async () => {
    await waitFor(() => jobFor('/a.bin') !== undefined, 'the job of the first argv');
  });

  it("queues the URLs of a second launch's command line and a drop on the window", async () => {
    platform.secondInstance(['ferry', '--flag=http://ignored.example/', server.url('/b.bin')]);
    await waitFor(() => jobFor('/b.bin') !== undefined, 'the job of the second launch');
    assert.equal(
      engine
        .enumJobs({ allUsers: true })
        .some((job) => job.enumFiles().some((file) => file.remoteName.includes('ignored.example'))),
      false,
      'a switch never becomes a download',
    );
    await page().evaluate(
      (list) => {
        const g = globalThis as unknown as DropGlobals;
        const data = new g.DataTransfer();
        data.setData('text/uri-list', list);
        for (const type of ['dragenter', 'dragover', 'drop']) {
          g.document.body.dispatchEvent(
            new g.DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
          );
        }
      },
      `# dropped\r\n${server.url('/c.bin')}\r\n`,
    );
    await waitFor(() => jobFor('/c.bin') !== undefined, 'the job of the drop');
    const dropped = jobFor('/c.bin');
    assert.ok(dropped !== undefined);
    await waitFor(
      () => ['TRANSFERRED', 'ACKNOWLEDGED'].includes(stateOf(dropped)),
      'the dropped download to finish',
    );
  });

  it('opens a saved file, shows it in its folder and picks folders through the platform', async () => {
    const id = jobFor('/c.bin');
    assert.ok(id !== undefined);
    if (stateOf(id) === 'TRANSFERRED') await engine.getJob(id).complete();
    const local = engine.getJob(id).enumFiles()[0]?.localName;
    platform.pickedFolder = downloads;
    const answers = await page().evaluate(async (jobId) => {
      const { ferry } = globalThis as PageGlobals;
      return [
        await ferry.invoke('files.open', { jobId, fileIndex: 0 }),
        await ferry.invoke('files.open', { jobId, fileIndex: 0, reveal: true }),
        await ferry.invoke('folders.pick', { start: '' }),
      ];
    }, id);
    assert.deepEqual(answers, [
      { opened: true },
      { opened: true },
      { supported: true, path: downloads },
    ]);
    assert.deepEqual(platform.openedPaths, [`open ${local ?? ''}`, `reveal ${local ?? ''}`]);
  });

  it('delivers the BITS callbacks to the window exactly as each job notify flags allow', async () => {
    const loud = await jobFromWindow(
      'loud',
      '/d.bin',
      NotifyFlag.JOB_TRANSFERRED | NotifyFlag.FILE_TRANSFERRED,
    );
    const quiet = await jobFromWindow(
      'quiet',
      '/e.bin',
      NotifyFlag.JOB_TRANSFERRED | NotifyFlag.DISABLE,
    );
    await page().evaluate(
      async (ids) => {
        const g = globalThis as PageGlobals;
        const seen: { event: EventName; jobId: string }[] = [];
        g.seen = seen;
        for (const event of [
          'jobTransferred',
          'jobError',
          'jobModification',
          'fileTransferred',
        ] as const) {
          g.ferry.on(event, (payload) => seen.push({ event, jobId: payload.job.id }));
        }
        for (const jobId of ids) {
          await g.ferry.invoke('job.setNotifyInterface', { jobId, enabled: true });
          await g.ferry.invoke('job.resume', { jobId });
        }
      },
      [loud, quiet],
    );
    for (const id of [loud, quiet]) {
      await waitFor(() => ['TRANSFERRED', 'ACKNOWLEDGED'].includes(stateOf(id)), `${id} to finish`);
    }
    // Both finished in the engine, so their callbacks were sent; page.evaluate runs after them.
    const events = await page().evaluate(() => (globalThis as PageGlobals).seen ?? []);
    const about = (id: string) =>
      [...new Set(events.filter((e) => e.jobId === id).map((e) => e.event))].sort();
    assert.deepEqual(about(loud), ['fileTransferred', 'jobTransferred']);
    assert.deepEqual(about(quiet), []);
  });

  it('registers the window for the callbacks of the job its details pane shows', async () => {
    const id = await jobFromWindow('followed', '/e.bin', NotifyFlag.FILE_TRANSFERRED);
    await page().evaluate(() => {
      const g = globalThis as PageGlobals;
      const seen: { event: EventName; jobId: string }[] = [];
      g.seen = seen;
      g.ferry.on('fileTransferred', (payload) =>
        seen.push({ event: 'fileTransferred', jobId: payload.job.id }),
      );
    });
    // Nothing registers for this job but the pane, once the job is selected.
    await page().locator('[aria-selected][data-state]').filter({ hasText: 'followed' }).click();
    await page().locator('#details').filter({ hasText: 'followed' }).waitFor();
    // The registration is a command in flight from the pane: a round trip after it is in.
    await page().evaluate(async (jobId) => {
      await (globalThis as PageGlobals).ferry.invoke('job.get', { jobId });
    }, id);
    await engine.getJob(id).resume();
    await waitFor(() => ['TRANSFERRED', 'ACKNOWLEDGED'].includes(stateOf(id)), 'done');
    const seen = await page().evaluate(() => (globalThis as PageGlobals).seen ?? []);
    assert.deepEqual(seen, [{ event: 'fileTransferred', jobId: id }]);
  });

  it('shows OS notifications as the flags allow, naming job and file; a click selects the job', async () => {
    const before = platform.shownNotifications.length;
    const told = await jobFromWindow('told', '/f.bin', NotifyFlag.JOB_TRANSFERRED);
    const failing = await jobFromWindow('failing', '/missing.bin', NotifyFlag.JOB_ERROR);
    const silent = await jobFromWindow(
      'silent',
      '/a.bin',
      NotifyFlag.JOB_TRANSFERRED | NotifyFlag.DISABLE,
    );
    for (const id of [silent, told, failing]) await engine.getJob(id).resume();
    await waitFor(() => stateOf(failing) === 'ERROR', 'the failing job in ERROR');
    await waitFor(() => platform.shownNotifications.length >= before + 2, 'two notifications');
    await waitFor(() => ['TRANSFERRED', 'ACKNOWLEDGED'].includes(stateOf(silent)), 'silent done');
    const shown = platform.shownNotifications.slice(before);
    const bodies = shown.map((n) => `${n.title} | ${n.body}`).sort();
    assert.deepEqual(bodies, [
      'Download failed | failing: failing.bin: ' +
        (engine.getJob(failing).getError()?.message ?? ''),
      'Download finished | told: told.bin',
    ]);
    // A click shows the window, selects the job in the real renderer and opens the details
    // pane on its error, even after the user closed the pane.
    window.hide();
    await page().locator('[aria-selected][data-state="TRANSFERRED"]').first().click();
    await page().locator('#details').getByRole('button', { name: 'Close details' }).click();
    await page().locator('#details').waitFor({ state: 'detached' });
    const failed = shown.find((n) => n.title === 'Download failed');
    failed?.click();
    assert.equal(window.visible, true);
    await page().locator(`[aria-selected="true"][data-state="ERROR"]`).first().waitFor();
    await page()
      .locator('#details .error-details')
      .filter({ hasText: engine.getJob(failing).getError()?.message ?? 'no error' })
      .waitFor();
  });

  it('the "Notify me" switch in the details pane maps to the job notify flags', async () => {
    const id = await jobFromWindow(
      'switched-off',
      '/d.bin',
      NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_ERROR,
    );
    await page().locator('[aria-selected][data-state]').filter({ hasText: 'switched-off' }).click();
    const toggle = page().locator('#details').getByLabel('Notify me when it finishes or fails');
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), true);
    await toggle.uncheck();
    await waitFor(() => engine.getJob(id).getNotifyFlags() === 0, 'the flags cleared');
    const before = platform.shownNotifications.length;
    await engine.getJob(id).resume();
    await waitFor(() => ['TRANSFERRED', 'ACKNOWLEDGED'].includes(stateOf(id)), 'done');
    // The notification would be sent at the state change; a job.get round trip later it has not.
    await page().evaluate(async (jobId) => {
      await (globalThis as PageGlobals).ferry.invoke('job.get', { jobId });
    }, id);
    assert.equal(platform.shownNotifications.length, before);
  });

  it('shows the aggregate state in the tray, and its menu suspends and resumes all', async () => {
    const tray = platform.tray();
    const id = await jobFromWindow('slow', '/slow.bin', NotifyFlag.JOB_TRANSFERRED);
    await engine.getJob(id).resume();
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'the slow job transferring');
    // The failed job of the previous test keeps the icon at "error" until it is dealt with.
    await waitFor(
      () => Buffer.from(tray.image.png1x).equals(Buffer.from(iconPng('error', 16))),
      'error icon',
    );
    const failed = engine.enumJobs({ allUsers: true }).filter((job) => job.getState() === 'ERROR');
    for (const job of failed) await job.cancel();
    await waitFor(
      () => Buffer.from(tray.image.png1x).equals(Buffer.from(iconPng('transferring', 16))),
      'the transferring icon',
    );
    await waitFor(
      () => /^Ferry: 1 download, \d+% of 2\.9 MB, /.test(tray.toolTip),
      `tooltip: ${tray.toolTip}`,
    );
    tray.clickMenu('Suspend all');
    await waitFor(() => stateOf(id) === 'SUSPENDED', 'suspended by the tray');
    await waitFor(
      () => tray.toolTip === 'Ferry: no active downloads',
      `idle tooltip: ${tray.toolTip}`,
    );
    assert.ok(Buffer.from(tray.image.png1x).equals(Buffer.from(iconPng('idle', 16))));
    tray.clickMenu('Resume all');
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'resumed by the tray');
    await engine.getJob(id).suspend();
  });

  it('adds the URLs on the clipboard from the tray', async () => {
    server.setFile('/clip.bin', { body: { size: 1000, seed: 9 } });
    platform.clipboard = `see ${server.url('/clip.bin')} and ftp://not.this/`;
    platform.tray().clickMenu('Add from clipboard');
    await waitFor(() => jobFor('/clip.bin') !== undefined, 'the clipboard job');
  });

  it('puts transferring jobs back to QUEUED on system suspend and lets them continue on resume', async () => {
    const id = await jobFromWindow('slept', '/slow.bin', NotifyFlag.JOB_TRANSFERRED);
    await engine.getJob(id).resume();
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'transferring');
    platform.power('suspend');
    await waitFor(() => stateOf(id) === 'QUEUED', 'QUEUED on suspend');
    assert.deepEqual(engine.transferConditions().holds, ['system-suspend']);
    // A locked screen without "pause on lock" holds nothing; unlocking releases nothing held.
    platform.power('lock-screen');
    assert.deepEqual(engine.transferConditions().holds, ['system-suspend']);
    platform.power('unlock-screen');
    platform.power('resume');
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'transferring again after resume');
    // Both transitions are in the job's history, and the window shows them.
    assert.deepEqual(
      engine.stateLog(id).map((entry) => `${entry.state} ${entry.cause}`),
      ['QUEUED system-suspend', 'QUEUED system-resume'],
    );
    await page().locator('[aria-selected][data-state]').filter({ hasText: 'slept' }).click();
    const log = page().locator('#details .state-log li');
    await log.nth(1).waitFor({ state: 'attached' });
    assert.match((await log.allTextContents()).join(' | '), /went to sleep \| .*woke up/);
    await engine.getJob(id).suspend();
  });

  it('pauses on a locked screen once the user turns it on in the settings dialog', async () => {
    await page().getByRole('button', { name: 'Settings' }).first().click();
    const dialog = page().getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('tab', { name: 'Notifications' }).click();
    await dialog.getByLabel('Pause downloads while the screen is locked').check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await waitFor(() => engine.getAppSettings().pauseOnLock, 'the setting saved');
    const id = await jobFromWindow('locked', '/slow.bin', NotifyFlag.JOB_TRANSFERRED);
    await engine.getJob(id).resume();
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'transferring');
    platform.power('lock-screen');
    await waitFor(() => stateOf(id) === 'QUEUED', 'QUEUED while locked');
    platform.power('unlock-screen');
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'transferring after unlock');
    assert.deepEqual(
      engine.stateLog(id).map((entry) => entry.cause),
      ['screen-locked', 'screen-unlocked'],
    );
    await engine.getJob(id).suspend();
  });

  it('follows the network: offline holds queued jobs, online starts them at once', async () => {
    platform.online = false;
    platform.networkClock.tick();
    assert.equal(engine.transferConditions().online, false);
    const id = await jobFromWindow('offline', '/e.bin', NotifyFlag.JOB_TRANSFERRED);
    await engine.getJob(id).resume();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stateOf(id), 'QUEUED');
    platform.online = true;
    platform.networkClock.tick();
    await waitFor(() => ['TRANSFERRED', 'ACKNOWLEDGED'].includes(stateOf(id)), 'done once online');
  });

  it('holds a notify command line from the window for a native confirmation showing the full command', async () => {
    const program = join(dir.path, 'notify.sh');
    writeFileSync(program, '#!/bin/sh\nexit 0\n');
    chmodSync(program, 0o755);
    const id = await jobFromWindow('cmdline', '/a.bin', NotifyFlag.JOB_TRANSFERRED);
    const set = (cmdLine: { program: string; args: string[] }) =>
      page().evaluate(
        async ([jobId, cmdLine]) => {
          const { ferry } = globalThis as PageGlobals;
          try {
            await ferry.invoke('job.setNotifyCmdLine', { jobId, cmdLine });
            return 'stored';
          } catch (error) {
            return (error as { code: string }).code;
          }
        },
        [id, cmdLine] as const,
      );
    assert.equal(await set({ program: 'notify.sh', args: [] }), 'INPUT_INVALID', 'relative');
    assert.equal(platform.confirmations.length, 0, 'a bad program is refused before asking');
    platform.confirmAnswer = false;
    assert.equal(await set({ program, args: ['--id', id] }), 'INPUT_NOT_CONFIRMED');
    assert.equal(engine.getJob(id).getNotifyCmdLine(), null);
    platform.confirmAnswer = true;
    assert.equal(await set({ program, args: ['--id', id] }), 'stored');
    assert.deepEqual(engine.getJob(id).getNotifyCmdLine(), { program, args: ['--id', id] });
    const asked = platform.confirmations.map((c) => c.detail);
    assert.deepEqual(asked, [`${program} --id ${id}`, `${program} --id ${id}`]);
    assert.equal(platform.confirmations[0]?.title, 'Run a program when this download ends?');
  });

  it('hides the window on close, and on quit stops the engine: jobs back to QUEUED, store closed', async () => {
    await window.requestClose();
    assert.equal(window.isDestroyed(), false, 'closing only hides');
    assert.equal(window.visible, false);
    const id = await jobFromWindow('at-quit', '/slow.bin', NotifyFlag.JOB_TRANSFERRED);
    await engine.getJob(id).resume();
    await waitFor(() => stateOf(id) === 'TRANSFERRING', 'transferring at quit');
    platform.tray().clickMenu('Quit Ferry');
    await platform.quitted;
    assert.equal(platform.tray().destroyed, true);
    // The store is closed and the lock released: another engine opens the data directory.
    const reopened = createEngine({ dataDir: dataDir(), env: {} });
    try {
      assert.equal(reopened.getJob(id).getState(), 'QUEUED');
    } finally {
      await reopened.close();
    }
    assert.equal(existsSync(join(dataDir(), 'ferry.db')), true);
  });
});
