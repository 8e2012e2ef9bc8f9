// The desktop platform port (main/electron/platform.ts) implemented in Node for the tests:
// windows are pages of Debian's Chromium loading the real renderer from the app's handler
// (served on a loopback port), with the real preload logic (page-preload.ts) over a
// Playwright binding; tray, notifications, dialogs, power, network and clipboard are recorded
// and driven by the test. Everything the shell does goes through here, as it goes through
// electron-platform.ts in the app.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type {
  AppRequestHandler,
  ConfirmRequest,
  DesktopPlatform,
  IpcSender,
  PlatformMenuItem,
  PlatformWindow,
  PowerEvent,
  TaskbarProgress,
  TrayImage,
} from '../../../main/electron/platform.js';
import type { MainWindowOptions } from '../../../main/electron/window-options.js';
import type { WatchClock } from '../../../main/electron/network-watch.js';

const PRELOAD_ENTRY = fileURLToPath(new URL('./page-preload.ts', import.meta.url));

/** Chromium as the e2e tests run it (never `playwright install`). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** One window as the test sees it. */
export interface TestWindow extends PlatformWindow {
  readonly options: MainWindowOptions;
  /** The page, once `load` has run. */
  page(): Page;
  readonly visible: boolean;
  readonly progress: TaskbarProgress | null;
  /** Resolves once its page has loaded. */
  readonly loaded: Promise<void>;
  /** The user's close button: the shell decides whether it closes or hides. */
  requestClose(): Promise<void>;
}

/** The tray as the test sees it. */
export interface TestTray {
  readonly image: TrayImage;
  readonly toolTip: string;
  readonly menu: readonly PlatformMenuItem[];
  readonly destroyed: boolean;
  /** Clicks the menu item with this label (it must be enabled). */
  clickMenu(label: string): void;
}

/** A notification the shell showed. */
export interface TestNotification {
  readonly title: string;
  readonly body: string;
  click(): void;
}

/** The test platform: the port, and the handles a test drives it with. */
export interface TestPlatform extends DesktopPlatform {
  readonly windows: readonly TestWindow[];
  tray(): TestTray;
  readonly shownNotifications: readonly TestNotification[];
  readonly errorBoxes: readonly { title: string; body: string }[];
  readonly confirmations: readonly ConfirmRequest[];
  /** What the next `confirm` answers (default false). */
  confirmAnswer: boolean;
  readonly openedExternally: readonly string[];
  /** Files opened (`open <path>`) or shown in their folder (`reveal <path>`). */
  readonly openedPaths: readonly string[];
  /** What the next folder picker answers (null: cancelled). */
  pickedFolder: string | null;
  /** The CSP the shell asked for; every app response carried it. */
  readonly appCsp: string | null;
  /** The origin the app is served under (a loopback port here, app://ferry in Electron). */
  readonly appOrigin: string;
  online: boolean;
  clipboard: string;
  /** The manual clock the network watch runs on: `tick` looks at `online` now. */
  readonly networkClock: WatchClock & { tick(): void };
  /** Fires a power or session event. */
  power(event: PowerEvent): void;
  /** A second launch with this command line. */
  secondInstance(argv: readonly string[]): void;
  /** Resolves once a quit went through (the shell answered `proceed`). */
  readonly quitted: Promise<void>;
  readonly exitCode: number | null;
  /** Closes every page, the browser and the app server. */
  dispose(): Promise<void>;
}

/** Bundles the page preload once per process (esbuild, for the browser). */
let preloadScript: Promise<string> | null = null;
function bundledPreload(): Promise<string> {
  preloadScript ??= build({
    entryPoints: [PRELOAD_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return preloadScript;
}

/** Starts Chromium and the app's loopback server; the shell is started on the result. */
export async function createTestPlatform(
  options: { argv?: readonly string[] } = {},
): Promise<TestPlatform> {
  const preload = await bundledPreload();
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1200, height: 800 },
  });
  let appHandler: AppRequestHandler | null = null;
  const server: Server = createServer((req, res) => {
    const handler = appHandler;
    if (handler === null || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    void handler(`${origin}${req.url ?? '/'}`).then((response) => {
      res.writeHead(response.status, response.headers).end(Buffer.from(response.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no app server port');
  const origin = `http://127.0.0.1:${address.port}`;

  const handlers = new Map<string, (sender: IpcSender, message: unknown) => Promise<unknown>>();
  const listeners = new Map<string, (sender: IpcSender, message: unknown) => void>();
  const powerListeners = new Set<(event: PowerEvent) => void>();
  const windows: TestWindow[] = [];
  let tray: TestTray | null = null;
  const notifications: TestNotification[] = [];
  let secondInstance: ((argv: readonly string[]) => void) | null = null;
  let beforeQuit: (() => 'proceed' | 'wait') | null = null;
  let quitDone: () => void = () => undefined;
  const quitted = new Promise<void>((resolve) => {
    quitDone = resolve;
  });
  let networkTick: (() => void) | null = null;
  let nextContentsId = 1;
  let exitCode: number | null = null;

  const createWindow = (windowOptions: MainWindowOptions): TestWindow => {
    const contentsId = nextContentsId++;
    let page: Page | null = null;
    let destroyed = false;
    let ready = false;
    let markLoaded: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => {
      markLoaded = resolve;
    });
    const readyListeners: (() => void)[] = [];
    const closeListeners: (() => boolean)[] = [];
    const closedListeners: (() => void)[] = [];
    const newPageListeners: (() => void)[] = [];
    const state = { visible: false, progress: null as TaskbarProgress | null };
    const close = async (): Promise<void> => {
      if (destroyed) return;
      destroyed = true;
      await page?.close();
      for (const listener of closedListeners) listener();
    };
    const window: TestWindow = {
      contentsId,
      options: windowOptions,
      loaded,
      get visible() {
        return state.visible;
      },
      get progress() {
        return state.progress;
      },
      page() {
        if (page === null) throw new Error('the window has not loaded a page');
        return page;
      },
      async load(url) {
        const created = await context.newPage();
        page = created;
        const senderOf = (frame: { url(): string }): IpcSender => ({
          webContentsId: contentsId,
          frameUrl: frame.url(),
          isMainFrame: frame === created.mainFrame(),
        });
        await created.exposeBinding(
          '__ferryIpc',
          async (source, kind: unknown, channel: unknown, message: unknown) => {
            const sender = senderOf(source.frame);
            if (kind === 'invoke' && typeof channel === 'string') {
              const handler = handlers.get(channel);
              if (handler === undefined) throw new Error(`No handler for '${channel}'`);
              return handler(sender, message);
            }
            if (typeof channel === 'string') listeners.get(channel)?.(sender, message);
            return undefined;
          },
        );
        await created.addInitScript({ content: preload });
        let loadedOnce = false;
        created.on('framenavigated', (frame) => {
          if (frame !== created.mainFrame()) return;
          if (loadedOnce) for (const listener of newPageListeners) listener();
          loadedOnce = true;
        });
        await created.goto(url);
        ready = true;
        markLoaded();
        for (const listener of readyListeners.splice(0)) listener();
      },
      show() {
        state.visible = true;
      },
      hide() {
        state.visible = false;
      },
      isDestroyed: () => destroyed,
      setProgress(progress) {
        state.progress = progress;
      },
      send(channel, message) {
        if (destroyed || page === null) return;
        void page
          .evaluate(
            ([c, m]) => {
              (globalThis as { __ferryReceive?: (c: string, m: unknown) => void }).__ferryReceive?.(
                c,
                m,
              );
            },
            [channel, message] as const,
          )
          .catch(() => undefined);
      },
      onReadyToShow(listener) {
        if (ready) listener();
        else readyListeners.push(listener);
      },
      onCloseRequest(listener) {
        closeListeners.push(listener);
      },
      onClosed(listener) {
        closedListeners.push(listener);
      },
      onNewPage(listener) {
        newPageListeners.push(listener);
      },
      async requestClose() {
        if (closeListeners.every((listener) => listener())) await close();
      },
    };
    windows.push(window);
    return window;
  };

  const platform: TestPlatform = {
    app: {
      version: '0.0.0-test',
      isPackaged: false,
      argv: options.argv ?? ['electron', '.'],
      enableSandbox: () => undefined,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      onSecondInstance(listener) {
        secondInstance = listener;
      },
      onBeforeQuit(listener) {
        beforeQuit = listener;
      },
      // As Electron: `before-quit` may keep the app; the shell calls quit again once stopped.
      quit() {
        if ((beforeQuit?.() ?? 'proceed') === 'proceed') quitDone();
      },
      exit(code) {
        exitCode = code;
        quitDone();
      },
    },
    ipc: {
      handle(channel, handler) {
        handlers.set(channel, handler);
      },
      on(channel, listener) {
        listeners.set(channel, listener);
      },
      remove(channels) {
        for (const channel of channels) {
          handlers.delete(channel);
          listeners.delete(channel);
        }
      },
    },
    serveApp(handlerFor) {
      appHandler = handlerFor(origin);
      return `${origin}/index.html`;
    },
    createWindow,
    createTray(image) {
      const state = {
        image,
        toolTip: '',
        menu: [] as readonly PlatformMenuItem[],
        destroyed: false,
        click: (): void => undefined,
      };
      tray = {
        get image() {
          return state.image;
        },
        get toolTip() {
          return state.toolTip;
        },
        get menu() {
          return state.menu;
        },
        get destroyed() {
          return state.destroyed;
        },
        clickMenu(label) {
          const item = state.menu.find((entry) => entry.type === 'item' && entry.label === label);
          if (item?.type !== 'item') throw new Error(`No tray menu item '${label}'`);
          if (!item.enabled) throw new Error(`Tray menu item '${label}' is disabled`);
          item.click();
        },
      };
      return {
        setImage(next) {
          state.image = next;
        },
        setToolTip(text) {
          state.toolTip = text;
        },
        setMenu(items) {
          state.menu = items;
        },
        onClick(listener) {
          state.click = listener;
        },
        destroy() {
          state.destroyed = true;
        },
      };
    },
    notifications: {
      isSupported: () => true,
      show(text, onClick) {
        notifications.push({ title: text.title, body: text.body, click: onClick });
      },
    },
    dialogs: {
      showErrorBox(title, body) {
        (platform.errorBoxes as { title: string; body: string }[]).push({ title, body });
      },
      confirm(request) {
        (platform.confirmations as ConfirmRequest[]).push(request);
        return Promise.resolve(platform.confirmAnswer);
      },
    },
    onPowerEvent(listener) {
      powerListeners.add(listener);
      return () => powerListeners.delete(listener);
    },
    isOnline: () => platform.online,
    readClipboardText: () => Promise.resolve(platform.clipboard),
    openExternal(url) {
      (platform.openedExternally as string[]).push(url);
    },
    openPath(path) {
      (platform.openedPaths as string[]).push(`open ${path}`);
      return Promise.resolve('');
    },
    showItemInFolder(path) {
      (platform.openedPaths as string[]).push(`reveal ${path}`);
    },
    pickFolder() {
      return Promise.resolve(platform.pickedFolder);
    },
    resolveProxy: () => Promise.resolve('DIRECT'),
    harden(csp) {
      (platform as { appCsp: string | null }).appCsp = csp;
    },

    windows,
    tray() {
      if (tray === null) throw new Error('the shell made no tray');
      return tray;
    },
    shownNotifications: notifications,
    errorBoxes: [],
    confirmations: [],
    confirmAnswer: false,
    openedExternally: [],
    openedPaths: [],
    pickedFolder: null,
    appCsp: null,
    appOrigin: origin,
    online: true,
    clipboard: '',
    networkClock: {
      every(_ms, tick) {
        networkTick = tick;
        return () => {
          networkTick = null;
        };
      },
      tick() {
        networkTick?.();
      },
    },
    power(event) {
      for (const listener of powerListeners) listener(event);
    },
    secondInstance(argv) {
      if (secondInstance === null) throw new Error('the shell did not listen for second launches');
      secondInstance(argv);
    },
    quitted,
    get exitCode() {
      return exitCode;
    },
    async dispose() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return platform;
}
