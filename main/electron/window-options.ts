import { FerryError } from '../../app/index.js';

/**
 * The main window's BrowserWindow options, built by one pure function.
 *
 * Every security-relevant option is set explicitly rather than left to Electron's defaults, so a
 * change of default cannot loosen them and the unit test can assert each one (Electron's
 * security checklist items 2-4 and 12; Fiddle's `getMainWindowOptions`). The returned object is
 * structurally a `BrowserWindowConstructorOptions`: window.ts passes it to `new BrowserWindow`,
 * and the Electron typecheck proves the fit without this module importing electron.
 */

/** The web preferences Ferry sets on its window. */
export interface FerryWebPreferences {
  readonly preload: string;
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webviewTag: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly experimentalFeatures: false;
  readonly navigateOnDragDrop: false;
  readonly safeDialogs: true;
  readonly spellcheck: false;
  readonly devTools: boolean;
}

/** The main window's options. */
export interface MainWindowOptions {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  /** Shown on `ready-to-show`, so the user never sees an empty white frame. */
  readonly show: false;
  readonly backgroundColor: string;
  readonly autoHideMenuBar: true;
  readonly icon?: string;
  readonly webPreferences: FerryWebPreferences;
}

/** What the window options depend on. */
export interface MainWindowInputs {
  /** Absolute path of the bundled preload script. */
  readonly preloadPath: string;
  /** Absolute path of the window icon, where the platform uses one. */
  readonly iconPath?: string;
  /** Whether DevTools may open (development builds only). */
  readonly devTools: boolean;
}

/**
 * Builds the main window's options.
 *
 * A relative preload path is a packaging bug that Electron would only report in the renderer's
 * console, so it is refused here (INPUT_INVALID) with a message naming the path.
 */
export function mainWindowOptions(inputs: MainWindowInputs): MainWindowOptions {
  if (!isAbsolutePath(inputs.preloadPath)) {
    throw new FerryError(
      'INPUT_INVALID',
      'NONE',
      `The preload path must be absolute, not '${inputs.preloadPath}'`,
    );
  }
  return {
    title: 'Ferry',
    width: 1100,
    height: 720,
    minWidth: 640,
    minHeight: 420,
    show: false,
    backgroundColor: '#1e1e1e',
    autoHideMenuBar: true,
    ...(inputs.iconPath === undefined ? {} : { icon: inputs.iconPath }),
    webPreferences: {
      preload: inputs.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: inputs.devTools,
    },
  };
}

/** POSIX (`/x`) or Windows (`C:\x`, `\\server\x`) absolute path, on any host platform. */
function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
