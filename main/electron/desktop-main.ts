import { startDesktopApp } from './desktop-app.js';
import type { DesktopApp, DesktopAppOptions, StartRpcServer } from './desktop-app.js';
import { desktopPaths } from './paths.js';
import type { DesktopPlatform } from './platform.js';

/** What the desktop app's entry gives the lifecycle. */
export interface DesktopMainOptions {
  /** The directory of the built main script (dist/electron). */
  readonly mainDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly startRpcServer?: StartRpcServer;
  /** Test hooks: engine options and the network clock. */
  readonly overrides?: Pick<DesktopAppOptions, 'dataDir' | 'engineOptions' | 'networkClock'>;
}

/**
 * The desktop app's lifecycle on a platform: the single-instance lock, `startDesktopApp` once
 * ready, second launches, and the quit sequence. Returns the started app (null when this
 * launch only handed its argv to the first instance, or failed).
 *
 * A second launch never opens a second engine: it hands its argv to the first instance
 * (`second-instance`) and exits. The engine lock (engine-lock.ts) still guards the data
 * directory against `ferry serve` or another user session.
 */
export async function runDesktop(
  platform: DesktopPlatform,
  options: DesktopMainOptions,
): Promise<DesktopApp | null> {
  const { app } = platform;
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const paths = desktopPaths(
    options.mainDir,
    app.isPackaged ? undefined : options.env.FERRY_RENDERER_URL,
  );
  let desktop: DesktopApp | null = null;
  const pendingArgv: (readonly string[])[] = [];
  app.onSecondInstance((argv) => {
    if (desktop === null) pendingArgv.push(argv);
    else desktop.onSecondInstance(argv);
  });
  app.onBeforeQuit(() => desktop?.requestQuit() ?? 'proceed');
  try {
    await app.whenReady();
    desktop = await startDesktopApp(platform, {
      paths,
      argv: app.argv,
      devTools: !app.isPackaged,
      ...options.overrides,
      ...(options.startRpcServer === undefined ? {} : { startRpcServer: options.startRpcServer }),
    });
  } catch (error) {
    console.error('ferry: the desktop app failed to start', error);
    app.exit(1);
    return null;
  }
  for (const argv of pendingArgv.splice(0)) desktop.onSecondInstance(argv);
  return desktop;
}
