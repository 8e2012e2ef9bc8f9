import { app, dialog, ipcMain, nativeImage, session } from 'electron';
import { hasErrorCode } from '../../app/errors.js';
import { createEngine } from '../engine/index.js';
import type { Engine } from '../engine/index.js';
import { createEngineHost } from '../host/index.js';
import type { EngineHost } from '../host/index.js';
import { urlsFromArgv } from './argv-urls.js';
import { runCommand } from './host-port.js';
import { DesktopIpc } from './ipc.js';
import { notificationFor } from './notification-text.js';
import type { NotifyingEvent } from './notification-text.js';
import { showNotification } from './notifications.js';
import type { DesktopPaths } from './paths.js';
import { QuitGate } from './quit-gate.js';
import { installSecurityHandlers } from './security.js';
import { ShellFeed } from './shell-feed.js';
import { SystemProxyCache } from './system-proxy.js';
import { FerryTray } from './tray.js';
import type { TrayAction } from './tray-text.js';
import { jobsToResume, jobsToSuspend, taskbarProgress } from './tray-text.js';
import { createMainWindow } from './window.js';
import type { MainWindow } from './window.js';

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
  /** The renderer's build folder (served by the RPC endpoint). */
  readonly rendererDir: string;
  /** The first launch's argv (URLs in it are forwarded like a second launch's). */
  readonly argv: readonly string[];
  readonly devTools: boolean;
  /** Data directory override (FERRY_DATA_DIR is read by the engine otherwise). */
  readonly dataDir?: string;
  /** Starts the RPC endpoint when AppSettings.rpcEnabled; without it the desktop has none. */
  readonly startRpcServer?: StartRpcServer;
}

/** The running desktop app, as main.ts drives it. */
export interface DesktopApp {
  /** A second launch: focus the window and forward the URLs on its command line. */
  onSecondInstance(argv: readonly string[]): void;
  /** Decides a quit request (see QuitGate); `wait` means preventDefault and try again later. */
  requestQuit(): 'proceed' | 'wait';
}

/**
 * Starts everything after `app.whenReady()`: security handlers, system proxy, engine, host,
 * RPC endpoint, window, IPC, tray and notifications.
 *
 * Order matters: the proxy cache is primed before the engine (whose restore may start
 * transfers at once); the IPC bridge exists before the window loads its page.
 */
export async function startDesktopApp(options: DesktopAppOptions): Promise<DesktopApp> {
  installSecurityHandlers();
  const proxies = new SystemProxyCache({
    resolve: (url) => session.defaultSession.resolveProxy(url),
    now: () => performance.now(),
    onError: (url, error) => {
      console.warn(`ferry: cannot resolve the system proxy for ${url}`, error);
    },
  });
  await proxies.prime();

  let engine: Engine;
  try {
    engine = createEngine({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      preconfigProxy: (url) => proxies.lookup(url),
    });
  } catch (error) {
    if (hasErrorCode(error, 'ENGINE_LOCKED')) {
      dialog.showErrorBox('Ferry is already running', (error as Error).message);
    }
    throw error;
  }
  const host = createEngineHost({
    engine,
    host: 'desktop',
    version: app.getVersion(),
    onWarning: (message, cause) => {
      console.warn(`ferry: ${message}`, cause ?? '');
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
        staticDir: options.rendererDir,
      });
    } catch (error) {
      // The desktop app works without its RPC endpoint (e.g. the port is taken).
      console.warn('ferry: the RPC endpoint did not start', error);
    }
  }

  let window: MainWindow | null = null;
  const gate = new QuitGate(
    async () => {
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
      app.quit();
    },
  );

  const ipc = new DesktopIpc(ipcMain, host, options.paths.rendererUrl);
  const showWindow = (): void => {
    window ??= createWindow();
    window.show();
  };
  const createWindow = (): MainWindow => {
    const created = createMainWindow(options.paths, {
      devTools: options.devTools,
      quitting: () => gate.quitting,
    });
    ipc.attach(created.window.webContents);
    created.window.once('closed', () => {
      window = null;
    });
    return created;
  };
  window = createWindow();

  const onTrayAction = (action: TrayAction): void => {
    if (action === 'show') showWindow();
    else if (action === 'quit') app.quit();
    else {
      const jobs =
        action === 'suspendAll'
          ? jobsToSuspend(feed.table.list())
          : jobsToResume(feed.table.list());
      const command = action === 'suspendAll' ? 'job.suspend' : 'job.resume';
      // Each job on its own: one refusing (e.g. it changed state meanwhile) must not stop the rest.
      void Promise.allSettled(jobs.map((job) => runCommand(host, command, { jobId: job.id })));
    }
  };

  let tray: FerryTray | null = null;
  const notify = (event: NotifyingEvent): void => {
    // Read at each event: settings change through the contract, which has no settings event.
    runCommand(host, 'settings.get', {})
      .then((view) => {
        const text = notificationFor(event, view.app);
        if (text === null) return;
        showNotification(text, (clicked) => {
          showWindow();
          ipc.sendShellRequest({ kind: 'selectJob', jobId: clicked.jobId });
        });
      })
      .catch((error: unknown) => {
        console.warn('ferry: notification skipped', error);
      });
  };
  const feed = new ShellFeed(host, {
    onJobsChanged: () => {
      tray?.refresh();
      window?.setProgress(taskbarProgress(feed.table.list()));
    },
    onNotifyingEvent: notify,
    onError: (error) => {
      console.warn('ferry: shell feed', error);
    },
  });
  tray = new FerryTray(
    nativeImage.createFromPath(options.paths.icon),
    () => feed.table.list(),
    onTrayAction,
  );
  await feed.start();

  const forwardUrls = (argv: readonly string[]): void => {
    const urls = urlsFromArgv(argv);
    if (urls.length > 0) ipc.sendShellRequest({ kind: 'addUrls', urls });
  };
  forwardUrls(options.argv);
  if (rpc !== null) console.log(`ferry: RPC endpoint at ${rpc.baseUrl}`);

  return {
    onSecondInstance(argv) {
      showWindow();
      forwardUrls(argv);
    },
    requestQuit: () => gate.request(),
  };
}
