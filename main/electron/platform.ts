import type { MainWindowOptions } from './window-options.js';
import type { SenderFacts } from './trusted-sender.js';

/**
 * The desktop platform port: every call the shell makes to Electron, as plain TypeScript.
 *
 * electron-platform.ts implements it with Electron and is the only file (besides the preload)
 * that imports `electron`; its types are checked against electron.d.ts with `satisfies`, so a
 * changed Electron API breaks the build rather than the app. Tests implement the same port in
 * Node with the real renderer in Chromium (tests/electron/support/test-platform.ts), so all the
 * shell's wiring runs under test although the Electron binary cannot.
 */
export interface DesktopPlatform {
  readonly app: PlatformApp;
  readonly ipc: PlatformIpc;
  /**
   * Serves the built renderer under the app's own origin (`app://ferry` in Electron) with the
   * handler made for that origin; returns the page's URL.
   */
  serveApp(handlerFor: (origin: string) => AppRequestHandler): string;
  /** Creates a window; it loads nothing until `load`. */
  createWindow(options: MainWindowOptions): PlatformWindow;
  createTray(image: TrayImage): PlatformTray;
  readonly notifications: PlatformNotifications;
  readonly dialogs: PlatformDialogs;
  /** Subscribes to power and session events; returns the unsubscribe. */
  onPowerEvent(listener: (event: PowerEvent) => void): () => void;
  /** Whether the OS reports a network connection (polled by network-watch.ts). */
  isOnline(): boolean;
  readClipboardText(): Promise<string>;
  /** Opens an http(s) URL in the user's browser (callers check it with external-url.ts). */
  openExternal(url: string): void;
  /** Opens a local file with its default program; resolves to '' or the reason it failed. */
  openPath(path: string): Promise<string>;
  /** Shows a local file selected in the system's file manager. */
  showItemInFolder(path: string): void;
  /** The system's folder picker starting at `start` ('' for its default); null if cancelled. */
  pickFolder(start: string): Promise<string | null>;
  /** The system proxy for a URL, in PAC form ("DIRECT", "PROXY host:port; …"). */
  resolveProxy(url: string): Promise<string>;
  /**
   * Applies the app-wide security rules to every web contents and the session: navigation,
   * new windows and webviews refused, permissions denied, `csp` on every response. A link
   * meant for a new window goes to `onWindowOpen` instead (external-url.ts decides).
   */
  harden(csp: string, onWindowOpen: (url: string) => void): void;
}

/** The application's lifecycle. */
export interface PlatformApp {
  readonly version: string;
  readonly isPackaged: boolean;
  readonly argv: readonly string[];
  /** Sandboxes every renderer; before ready. */
  enableSandbox(): void;
  /** False when another instance runs (it gets our argv through `onSecondInstance`). */
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  onSecondInstance(listener: (argv: readonly string[]) => void): void;
  /** `wait` keeps the app running (preventDefault) while the shell stops. */
  onBeforeQuit(listener: () => 'proceed' | 'wait'): void;
  quit(): void;
  exit(code: number): void;
}

/** The facts about an IPC message's sender the trusted-sender check reads. */
export type IpcSender = SenderFacts;

/** The main process's side of IPC. */
export interface PlatformIpc {
  /** Answers `invoke` on `channel`; the handler's result is the reply. */
  handle(channel: string, handler: (sender: IpcSender, message: unknown) => Promise<unknown>): void;
  /** Receives `send` on `channel`. */
  on(channel: string, listener: (sender: IpcSender, message: unknown) => void): void;
  /** Removes the handler and listeners of these channels. */
  remove(channels: readonly string[]): void;
}

/** One window. */
export interface PlatformWindow {
  /** The id its web contents report as IPC senders. */
  readonly contentsId: number;
  load(url: string): Promise<void>;
  /** Shows, restores and focuses it. */
  show(): void;
  hide(): void;
  isDestroyed(): boolean;
  setProgress(progress: TaskbarProgress): void;
  /** Sends one message on a channel to its page. */
  send(channel: string, message: unknown): void;
  onReadyToShow(listener: () => void): void;
  /** A close request (the user's X); return false to keep the window. */
  onCloseRequest(listener: () => boolean): void;
  /** The window is gone. */
  onClosed(listener: () => void): void;
  /** Its main frame starts a new document (a reload): the page's subscriptions are gone. */
  onNewPage(listener: () => void): void;
}

/** What `BrowserWindow.setProgressBar(value, { mode })` gets. */
export interface TaskbarProgress {
  /** 0..1, or -1 to remove the bar; 2 for indeterminate (Electron's convention). */
  readonly value: number;
  readonly mode: 'none' | 'normal' | 'indeterminate' | 'error';
}

/** A tray or window image: PNG bytes at 1x and 2x. */
export interface TrayImage {
  readonly png1x: Uint8Array;
  readonly png2x: Uint8Array;
}

/** One tray menu entry. */
export type PlatformMenuItem =
  | { readonly type: 'separator' }
  | {
      readonly type: 'item';
      readonly label: string;
      readonly enabled: boolean;
      readonly click: () => void;
    };

/** The tray icon. */
export interface PlatformTray {
  setImage(image: TrayImage): void;
  setToolTip(text: string): void;
  setMenu(items: readonly PlatformMenuItem[]): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

/** OS notifications, sent from main (the page has no notification permission). */
export interface PlatformNotifications {
  isSupported(): boolean;
  show(text: { readonly title: string; readonly body: string }, onClick: () => void): void;
}

/** A question with two answers; resolves true for `confirm`. */
export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly detail: string;
  readonly confirm: string;
  readonly cancel: string;
}

/** Native dialogs. */
export interface PlatformDialogs {
  showErrorBox(title: string, body: string): void;
  confirm(request: ConfirmRequest): Promise<boolean>;
}

/**
 * Power and session events: the system suspends and resumes, the screen locks and unlocks,
 * the user's session ends (log off or shutdown).
 */
export type PowerEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'session-end';

/** One response of the app's own protocol. */
export interface AppResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Answers one request for the app's page or its assets (app-protocol.ts). */
export type AppRequestHandler = (url: string) => Promise<AppResponse>;
