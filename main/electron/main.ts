import { app } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRpcServer } from '../server/index.js';
import { startDesktopApp } from './desktop-app.js';
import type { DesktopApp } from './desktop-app.js';
import { desktopPaths } from './paths.js';
import { enableSandbox } from './security.js';

/**
 * The desktop app's entry point (package.json "main" → dist/electron/main.js): the single-instance
 * lock, then `startDesktopApp` once Electron is ready, and the quit sequence.
 *
 * A second launch never opens a second engine: it hands its argv to the first instance
 * (`second-instance`) and exits. The engine lock (engine-lock.ts) still guards the data
 * directory against `ferry serve` or another user session.
 */

enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const mainDir = dirname(fileURLToPath(import.meta.url));
  const paths = desktopPaths(mainDir, app.isPackaged ? undefined : process.env.FERRY_RENDERER_URL);
  let desktop: DesktopApp | null = null;
  const pendingArgv: (readonly string[])[] = [];

  app.on('second-instance', (_event, argv) => {
    if (desktop === null) pendingArgv.push(argv);
    else desktop.onSecondInstance(argv);
  });

  // Ferry lives in the tray: closing its last window does not quit.
  app.on('window-all-closed', () => undefined);

  app.on('before-quit', (event) => {
    if (desktop !== null && desktop.requestQuit() === 'wait') event.preventDefault();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      app.quit();
    });
  }

  app
    .whenReady()
    .then(() =>
      startDesktopApp({
        paths,
        rendererDir: join(mainDir, '..', 'renderer'),
        argv: process.argv,
        devTools: !app.isPackaged,
        startRpcServer,
      }),
    )
    .then((started) => {
      desktop = started;
      for (const argv of pendingArgv.splice(0)) started.onSecondInstance(argv);
    })
    .catch((error: unknown) => {
      console.error('ferry: the desktop app failed to start', error);
      app.exit(1);
    });
}
