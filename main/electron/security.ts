import { app, session, shell } from 'electron';
import { DESKTOP_CSP } from '../../app/csp.js';
import { safeExternalUrl } from './external-url.js';

/**
 * The app-wide Electron security settings, applied once at startup (Electron's security
 * checklist; STYLE.md "Electron security, as Ferry applies it").
 */

/** Sandboxes every renderer. Must run before `app.whenReady()`. */
export function enableSandbox(): void {
  app.enableSandbox();
}

/**
 * Opens a URL in the user's browser when it is `http:` or `https:`; anything else is refused.
 *
 * The only path from Ferry to `shell.openExternal`. Returns whether the URL was opened.
 */
export function openExternalSafely(url: unknown): boolean {
  const safe = safeExternalUrl(url);
  if (safe === null) return false;
  shell.openExternal(safe).catch(() => undefined);
  return true;
}

/**
 * Hardens every web contents Ferry will ever create, and the default session.
 *
 * - navigation away from the app's page is refused (`will-navigate`, `will-redirect`);
 * - new windows are refused; a link meant for one opens in the browser if it is http(s);
 * - `<webview>` can never attach;
 * - every permission request and check is denied (notifications are sent from main);
 * - every response carries the CSP header as well as the page's meta tag.
 * Call once the app is ready (sessions exist only then).
 */
export function installSecurityHandlers(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [DESKTOP_CSP],
      },
    });
  });
}
