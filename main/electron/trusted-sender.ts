/**
 * Whether an IPC message comes from Ferry's own UI: the one check every handler runs first.
 *
 * A message is trusted when its sender is the `webContents` of a window Ferry created, the
 * frame is that page's main frame (not an iframe), and the frame's URL, parsed with `URL`, is
 * the app's own page. Electron security checklist item 17 ("Validate the sender of all IPC
 * messages"); GitHub Desktop's `trusted-ipc-sender.ts`, Motrix's `trusted-ipc.ts`.
 */

/** The facts about one IPC event the check needs, read from Electron's event by ipc.ts. */
export interface SenderFacts {
  /** `event.sender.id`. */
  readonly webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame is gone (navigated or destroyed). */
  readonly frameUrl: string | null;
  /** `event.senderFrame === event.sender.mainFrame`. */
  readonly isMainFrame: boolean;
}

/** What the sender is compared with. */
export interface TrustedUi {
  /** The `webContents` ids of Ferry's windows. */
  readonly webContentsIds: ReadonlySet<number>;
  /** The URL Ferry loaded into its windows (a `file:` page, or the dev server in development). */
  readonly appUrl: string;
}

/** Checks one sender. */
export function isTrustedSender(sender: SenderFacts, ui: TrustedUi): boolean {
  return (
    ui.webContentsIds.has(sender.webContentsId) &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isAppUrl(sender.frameUrl, ui.appUrl)
  );
}

/**
 * Whether a page URL is the app's own page.
 *
 * `file:` pages have an opaque origin ("null" for every file), so they must match the app's
 * exact file path; `http(s):` pages (the dev server) must match its origin. Query and hash are
 * ignored: the UI may use them for its own routing.
 */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  const page = parseUrl(candidate);
  const app = parseUrl(appUrl);
  if (page === null || app === null || page.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return page.host === app.host && page.pathname === app.pathname;
  if (app.protocol === 'http:' || app.protocol === 'https:') return page.origin === app.origin;
  return false;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
