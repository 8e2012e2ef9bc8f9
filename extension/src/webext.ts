/**
 * The slice of the WebExtension API Ferry's extension uses, typed once.
 *
 * Chromium exposes it as `chrome`, Firefox as `browser` (and `chrome`); both return promises
 * in Manifest V3. Every other module goes through `ext`, so the API surface the extension
 * depends on is listed here and nowhere else.
 */

/** A download as the browser reports it (both browsers' common fields). */
export interface DownloadItem {
  readonly id: number;
  readonly url: string;
  readonly finalUrl?: string;
  readonly referrer?: string;
  /** Absolute target path; empty while the browser has not chosen one. */
  readonly filename: string;
  readonly mime?: string;
  /** -1 or 0 when unknown, depending on the browser. */
  readonly totalBytes: number;
  readonly fileSize?: number;
  readonly state: 'in_progress' | 'interrupted' | 'complete';
  readonly byExtensionId?: string;
  readonly incognito: boolean;
}

/** What a download's change event carries (only what Ferry reads). */
export interface DownloadDelta {
  readonly id: number;
  readonly filename?: { readonly current?: string };
}

/** What a context menu click reports. */
export interface MenuClickInfo {
  readonly menuItemId: string | number;
  readonly linkUrl?: string;
  readonly srcUrl?: string;
  readonly pageUrl?: string;
  readonly frameUrl?: string;
  readonly frameId?: number;
  readonly selectionText?: string;
}

/** A tab, as far as Ferry cares. */
export interface Tab {
  readonly id?: number;
  readonly url?: string;
  readonly incognito: boolean;
}

/** A cookie. */
export interface Cookie {
  readonly name: string;
  readonly value: string;
}

/** A connection to the native host. */
export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  readonly onMessage: ExtEvent<(message: unknown) => void>;
  readonly onDisconnect: ExtEvent<(port: NativePort) => void>;
}

/** An extension event. */
export interface ExtEvent<L> {
  addListener(listener: L): void;
  removeListener(listener: L): void;
}

/** Who sent a runtime message. */
export interface MessageSender {
  readonly id?: string;
  readonly tab?: Tab;
  readonly frameId?: number;
  readonly url?: string;
}

/** The API calls Ferry's extension makes. */
export interface WebExtensionApi {
  readonly runtime: {
    readonly id: string;
    readonly lastError?: { readonly message?: string };
    getManifest(): { readonly version: string; readonly name: string };
    connectNative(application: string): NativePort;
    sendMessage(message: unknown): Promise<unknown>;
    openOptionsPage(): Promise<void>;
    readonly onMessage: ExtEvent<
      (
        message: unknown,
        sender: MessageSender,
        sendResponse: (response: unknown) => void,
      ) => boolean | undefined
    >;
    readonly onInstalled: ExtEvent<() => void>;
    readonly onStartup: ExtEvent<() => void>;
  };
  readonly downloads: {
    pause(id: number): Promise<void>;
    resume(id: number): Promise<void>;
    cancel(id: number): Promise<void>;
    removeFile(id: number): Promise<void>;
    erase(query: { id: number }): Promise<number[]>;
    search(query: { id?: number }): Promise<DownloadItem[]>;
    readonly onCreated: ExtEvent<(item: DownloadItem) => void>;
    readonly onChanged: ExtEvent<(delta: DownloadDelta) => void>;
    /** Chromium only: the browser's suggested name, before any Save As dialog. */
    readonly onDeterminingFilename?: ExtEvent<
      (
        item: DownloadItem,
        suggest: (suggestion?: { filename: string }) => void,
      ) => boolean | undefined
    >;
  };
  readonly contextMenus: {
    create(properties: {
      id: string;
      title: string;
      contexts: readonly string[];
      targetUrlPatterns?: readonly string[];
    }): void;
    removeAll(): Promise<void>;
    readonly onClicked: ExtEvent<(info: MenuClickInfo, tab?: Tab) => void>;
  };
  readonly cookies: {
    getAll(details: { url: string; storeId?: string }): Promise<Cookie[]>;
  };
  readonly storage: {
    readonly local: {
      get(keys: string | readonly string[]): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
    readonly onChanged: ExtEvent<(changes: Record<string, unknown>, area: string) => void>;
  };
  readonly tabs: {
    sendMessage(tabId: number, message: unknown, options?: { frameId?: number }): Promise<unknown>;
  };
  readonly action: {
    setBadgeText(details: { text: string }): Promise<void>;
    setBadgeBackgroundColor(details: { color: string }): Promise<void>;
    setTitle(details: { title: string }): Promise<void>;
  };
  readonly i18n: {
    getMessage(name: string, substitutions?: string | readonly string[]): string;
  };
}

declare const browser: WebExtensionApi | undefined;
declare const chrome: WebExtensionApi | undefined;

function pickApi(): WebExtensionApi {
  if (typeof browser !== 'undefined') return browser;
  if (typeof chrome !== 'undefined') return chrome;
  throw new Error('No WebExtension API: this script runs only inside the extension');
}

/** The browser's extension API (Firefox's `browser`, else Chromium's `chrome`). */
export const ext: WebExtensionApi = pickApi();
