/**
 * The server-mode access token: read once from the page's `#token=…` fragment, then kept in
 * the tab's session storage and removed from the address bar.
 *
 * Left in the URL, the token would sit in the address bar (screenshots, screen sharing), in
 * the browser's history (synced to other devices) and in bookmarks; any of those hands the
 * whole engine to whoever reads it. Session storage keeps it for reloads of this tab only.
 */

/** Where the page is, as `window.location` reports it. */
export interface PageLocation {
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

/** The part of `sessionStorage` used here. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Session-storage key of the token. */
export const TOKEN_STORAGE_KEY = 'ferry.rpcToken';

/**
 * The token for this page: from the fragment (stored, then dropped from the URL through
 * `replaceUrl`), else the one stored by an earlier load of this tab; '' when there is none
 * (the host then refuses the link and the UI shows it is not connected).
 */
export function takeToken(
  location: PageLocation,
  storage: TokenStorage | null,
  replaceUrl: (url: string) => void,
): string {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromUrl = params.get('token');
  if (fromUrl === null) return readStored(storage);
  try {
    storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
  } catch {
    // Storage disabled or full: the token still works for this load.
  }
  params.delete('token');
  const rest = params.toString();
  replaceUrl(`${location.pathname}${location.search}${rest === '' ? '' : `#${rest}`}`);
  return fromUrl;
}

function readStored(storage: TokenStorage | null): string {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}
