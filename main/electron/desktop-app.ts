import { DESKTOP_CSP } from '../../app/csp.js';
import { FerryError, hasErrorCode } from '../../app/errors.js';
import { fillIn, shellText } from '../../app/shell-text.js';
import { createEngine } from '../engine/index.js';
import type { Engine, EngineOptions } from '../engine/index.js';
import { createEngineHost } from '../host/index.js';
import type { EngineHost } from '../host/index.js';
import { createAppRequestHandler } from './app-protocol.js';
import { urlsFromArgv, urlsFromText } from './argv-urls.js';
import { safeExternalUrl } from './external-url.js';
import { runCommand } from './host-port.js';
import { DesktopIpc } from './ipc.js';
import { watchNetwork } from './network-watch.js';
import type { WatchClock } from './network-watch.js';
import { notificationFor } from './notification-text.js';
import type { NotifyingEvent } from './notification-text.js';
import type { DesktopPaths } from './paths.js';
import type { DesktopPlatform, PlatformWindow } from './platform.js';
import { powerEventHandler } from './power-watch.js';
import { QuitGate } from './quit-gate.js';
import { ShellFeed } from './shell-feed.js';
import { SystemProxyCache } from './system-proxy.js';
import { FerryTray } from './tray.js';
import type { TrayAction } from './tray-text.js';
import { jobsToResume, jobsToSuspend, taskbarProgress } from './tray-text.js';
import { createMainWindow } from './window.js';
import { maskedLogLine } from '../../app/secret-mask.js';

/** A running RPC endpoint (main/server's `startRpcServer` result). */
export interface RpcEndpoint {
  /** The address without the token (the one that may be logged). */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the loopback RPC endpoint for the CLI and browsers (main/server's `startRpcServer`).
 *
 * Passed in by main.ts so this module does not depend on the server shell.
 */
export type StartRpcServer = (options: {
  readonly host: EngineHost;
  readonly dataDir: string;
  readonly port: number;
  /** The built renderer, served to browsers. */
  readonly staticDir: string;
}) => Promise<RpcEndpoint>;

/** What the desktop app is started with. */
export interface DesktopAppOptions {
  readonly paths: DesktopPaths;
  /** The first launch's argv (URLs in it are forwarded like a second launch's). */
  readonly argv: readonly string[];
  readonly devTools: boolean;
  /** Data directory override (FERRY_DATA_DIR is read by the engine otherwise). */
  readonly dataDir?: string;
  /** More engine options (tests: short retry floors and timeouts). */
  readonly engineOptions?: Omit<EngineOptions, 'dataDir' | 'preconfigProxy'>;
  /** Starts the RPC endpoint when AppSettings.rpcEnabled; without it the desktop has none. */
  readonly startRpcServer?: StartRpcServer;
  /** The clock the network watch polls on (tests drive it). */
  readonly networkClock?: WatchClock;
}

/** The running desktop app, as desktop-main.ts drives it. */
export interface DesktopApp {
  /** A second launch: focus the window and forward the URLs on its command line. */
  onSecondInstance(argv: readonly string[]): void;
  /** Decides a quit request (see QuitGate); `wait` means preventDefault and try again later. */
  requestQuit(): 'proceed' | 'wait';
  /** The engine the app hosts (read by tests and the quit sequence). */
  readonly engine: Engine;
}

/**
 * Starts everything once the platform is ready: security rules, the app's origin, system
 * proxy, engine, host, RPC endpoint, window, IPC, tray, notifications, power and network.
 *
 * Order matters: the proxy cache is primed before the engine (whose restore may start
 * transfers at once); the IPC bridge exists before the window loads its page.
 */
export async function startDesktopApp(
  platform: DesktopPlatform,
  options: DesktopAppOptions,
): Promise<DesktopApp> {
  platform.harden(DESKTOP_CSP, (url) => {
    const safe = safeExternalUrl(url);
    if (safe !== null) platform.openExternal(safe);
  });
  const appUrl =
    options.paths.devRendererUrl ??
    platform.serveApp((origin) =>
      createAppRequestHandler({ root: options.paths.rendererDir, csp: DESKTOP_CSP, origin }),
    );
  const proxies = new SystemProxyCache({
    resolve: (url) => platform.resolveProxy(url),
    now: () => performance.now(),
    onError: (url, error) => {
      console.warn(maskedLogLine(`ferry: cannot resolve the system proxy for ${url}`, error));
    },
  });
  await proxies.prime();

  let engine: Engine;
  try {
    engine = createEngine({
      ...options.engineOptions,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      preconfigProxy: (url) => proxies.lookup(url),
    });
  } catch (error) {
    if (hasErrorCode(error, 'ENGINE_LOCKED') && error instanceof Error) {
      platform.dialogs.showErrorBox(shellText('en').dialogs.alreadyRunning, error.message);
    }
    throw error;
  }
  const language = () => engine.getAppSettings().language;
  const host = createEngineHost({
    engine,
    host: 'desktop',
    version: platform.app.version,
    onWarning: (message, cause) => {
      console.warn(maskedLogLine(`ferry: ${message}`, cause));
    },
    // The window's "Open file", "Show in folder" and folder picker, on this desktop.
    openFile: async (path, reveal) => {
      if (reveal) {
        platform.showItemInFolder(path);
        return;
      }
      const failure = await platform.openPath(path);
      if (failure !== '') {
        throw new FerryError('DISK_PATH_INVALID', 'LOCAL_FILE', `Cannot open ${path}: ${failure}`);
      }
    },
    pickFolder: (start) => platform.pickFolder(start),
    // A program the window asks to run later is shown in full, in a dialog the page cannot
    // reach, before it is stored.
    confirmNotifyCmdLine: ({ job, text }) => {
      const t = shellText(language()).dialogs;
      return platform.dialogs.confirm({
        title: t.notifyCmdTitle,
        message: fillIn(t.notifyCmdMessage, { name: job.displayName }),
        detail: text,
        confirm: t.notifyCmdAllow,
        cancel: t.notifyCmdRefuse,
      });
    },
  });

  let rpc: RpcEndpoint | null = null;
  const settings = engine.getAppSettings();
  if (settings.rpcEnabled && options.startRpcServer !== undefined) {
    try {
      rpc = await options.startRpcServer({
        host,
        dataDir: engine.dataDir,
        port: settings.rpcPort,
        staticDir: options.paths.rendererDir,
      });
    } catch (error) {
      // The desktop app works without its RPC endpoint (e.g. the port is taken).
      console.warn('ferry: the RPC endpoint did not start', error);
    }
  }

  let window: PlatformWindow | null = null;
  let tray: FerryTray | null = null;
  const stops: (() => void)[] = [];
  const gate = new QuitGate(
    async () => {
      for (const stop of stops) stop();
      tray?.destroy();
      feed.close();
      ipc.dispose();
      await rpc?.close();
      host.close();
      await engine.close();
      await proxies.settled();
    },
    (error) => {
      if (error !== null) console.error('ferry: unclean shutdown', error);
      platform.app.quit();
    },
  );

  const ipc = new DesktopIpc(platform.ipc, host, appUrl);
  const showWindow = (): void => {
    window ??= createWindow();
    window.show();
  };
  const createWindow = (): PlatformWindow => {
    const created = createMainWindow(platform, {
      preloadPath: options.paths.preload,
      devTools: options.devTools,
      url: appUrl,
      quitting: () => gate.quitting,
      onLoadError: (error) => {
        console.error('ferry: cannot load the UI', error);
      },
    });
    ipc.attach(created);
    created.onClosed(() => {
      if (window === created) window = null;
    });
    return created;
  };
  window = createWindow();

  const forwardUrls = (urls: readonly string[]): void => {
    if (urls.length === 0) return;
    showWindow();
    ipc.sendShellRequest({ kind: 'addUrls', urls });
  };

  const onTrayAction = (action: TrayAction): void => {
    if (action === 'show') showWindow();
    else if (action === 'quit') platform.app.quit();
    else if (action === 'addFromClipboard') {
      platform
        .readClipboardText()
        .then((text) => {
          forwardUrls(urlsFromText(text));
        })
        .catch((error: unknown) => {
          console.warn('ferry: cannot read the clipboard', error);
        });
    } else {
      const jobs = action === 'suspendAll' ? jobsToSuspend(feed.list()) : jobsToResume(feed.list());
      const command = action === 'suspendAll' ? 'job.suspend' : 'job.resume';
      // Each job on its own: one refusing (e.g. it changed state meanwhile) must not stop the rest.
      void Promise.allSettled(jobs.map((job) => runCommand(host, command, { jobId: job.id })));
    }
  };

  const notify = (event: NotifyingEvent): void => {
    if (!platform.notifications.isSupported()) return;
    const jobId = event.payload.job.id;
    runCommand(host, 'job.get', { jobId })
      .then((job) => {
        const text = notificationFor(event, job.files, engine.getAppSettings());
        if (text === null) return;
        platform.notifications.show(text, () => {
          showWindow();
          ipc.sendShellRequest({
            kind: 'selectJob',
            jobId: text.jobId,
            ...(text.showError ? { show: 'error' as const } : {}),
          });
        });
      })
      .catch((error: unknown) => {
        console.warn('ferry: notification skipped', error);
      });
  };
  const feed = new ShellFeed(host, {
    onJobsChanged: () => {
      tray?.refresh();
      window?.setProgress(taskbarProgress(feed.list()));
    },
    onNotifyingEvent: notify,
    onError: (error) => {
      console.warn('ferry: shell feed', error);
    },
  });
  tray = new FerryTray(platform, () => feed.list(), language, onTrayAction);
  await feed.start();

  stops.push(
    platform.onPowerEvent(
      powerEventHandler(
        engine,
        () => engine.getAppSettings(),
        (error) => {
          console.warn('ferry: a power event could not hold transfers', error);
        },
      ),
    ),
    watchNetwork(
      () => platform.isOnline(),
      (online) => {
        engine.setNetworkAvailable(online);
      },
      options.networkClock,
    ),
  );

  forwardUrls(urlsFromArgv(options.argv));
  if (rpc !== null) console.log(`ferry: RPC endpoint at ${rpc.baseUrl}`);

  return {
    engine,
    onSecondInstance(argv) {
      showWindow();
      forwardUrls(urlsFromArgv(argv));
    },
    requestQuit: () => gate.request(),
  };
}
