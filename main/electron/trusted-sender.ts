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
  /** The URL Ferry loaded into its windows: `app://ferry/…`, or the dev server. */
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
 * Whether a page URL is on the app's own origin: same scheme, host and port.
 *
 * Compared by scheme and host rather than `URL.origin`, which is "null" for a custom scheme
 * such as `app:`. Only the app's scheme and the dev server's `http(s):` are accepted: a
 * `file:` page (any local file) never is. Path, query and hash are the page's own business.
 */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  const page = parseUrl(candidate);
  const app = parseUrl(appUrl);
  if (page === null || app === null || page.protocol === 'file:') return false;
  const host = page.host.toLowerCase();
  return page.protocol === app.protocol && host === app.host.toLowerCase() && host !== '';
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
