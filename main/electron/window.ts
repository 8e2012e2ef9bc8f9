import { BrowserWindow } from 'electron';
import { mainWindowOptions } from './window-options.js';
import type { DesktopPaths } from './paths.js';
import type { TaskbarProgress } from './tray-text.js';

/** The main window and what the shell does with it. */
export interface MainWindow {
  readonly window: BrowserWindow;
  /** Shows, restores and focuses the window (tray click, second launch, notification). */
  show(): void;
  setProgress(progress: TaskbarProgress): void;
}

/**
 * Creates the main window from the pure options and loads the app's page.
 *
 * Closing the window only hides it (Ferry keeps running in the tray) unless `quitting()` says
 * a quit is under way.
 */
export function createMainWindow(
  paths: DesktopPaths,
  options: { readonly devTools: boolean; readonly quitting: () => boolean },
): MainWindow {
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath: paths.preload,
      iconPath: paths.icon,
      devTools: options.devTools,
    }),
  );
  window.once('ready-to-show', () => {
    window.show();
  });
  window.on('close', (event) => {
    if (options.quitting()) return;
    event.preventDefault();
    window.hide();
  });
  const load = paths.rendererUrl.startsWith('file:')
    ? window.loadFile(paths.rendererFile)
    : window.loadURL(paths.rendererUrl);
  load.catch((error: unknown) => {
    console.error('ferry: cannot load the UI', error);
  });
  return {
    window,
    show() {
      if (window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    setProgress(progress) {
      if (window.isDestroyed()) return;
      window.setProgressBar(progress.value, { mode: progress.mode });
    },
  };
}
