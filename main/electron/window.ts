import type { DesktopPlatform, PlatformWindow } from './platform.js';
import { mainWindowOptions } from './window-options.js';

/** What the main window is made from. */
export interface MainWindowInputs {
  readonly preloadPath: string;
  readonly devTools: boolean;
  /** The page to load (the app's origin, or the dev server). */
  readonly url: string;
  /** Whether a quit is under way: then closing really closes. */
  readonly quitting: () => boolean;
  readonly onLoadError: (error: unknown) => void;
}

/**
 * Creates the main window from the pure options and loads the app's page.
 *
 * It is shown once ready (never an empty white frame), and closing it only hides it (Ferry
 * keeps running in the tray) unless a quit is under way.
 */
export function createMainWindow(
  platform: DesktopPlatform,
  inputs: MainWindowInputs,
): PlatformWindow {
  const window = platform.createWindow(
    mainWindowOptions({ preloadPath: inputs.preloadPath, devTools: inputs.devTools }),
  );
  window.onReadyToShow(() => {
    window.show();
  });
  window.onCloseRequest(() => {
    if (inputs.quitting()) return true;
    window.hide();
    return false;
  });
  window.load(inputs.url).catch(inputs.onLoadError);
  return window;
}
