import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { AppRequestHandler, AppResponse } from './platform.js';

/**
 * The app's own origin: the window loads `app://ferry/index.html` instead of a `file:` URL.
 *
 * A `file:` page's 'self' covers every other local file and may not get a header CSP, so
 * Electron advises a privileged custom scheme (security checklist item 18). The handler serves
 * only files under the built renderer folder, every response with the CSP as a header, and
 * refuses any path that would leave that folder, however it is spelled (`..`, `%2e%2e`,
 * `%2f`, backslashes, NUL).
 */

/** The scheme the desktop window's page is served under. */
export const APP_SCHEME = 'app';
/** Its one host. */
export const APP_HOST = 'ferry';
/** The page's URL. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** What the handler serves. */
export interface AppProtocolOptions {
  /** The built renderer folder (absolute). */
  readonly root: string;
  /** The Content-Security-Policy sent with every response. */
  readonly csp: string;
  /** The origin requests must be for, e.g. `app://ferry` (another host gets 404). */
  readonly origin: string;
}

/** Builds the request handler for the app's origin. */
export function createAppRequestHandler(options: AppProtocolOptions): AppRequestHandler {
  const root = resolve(options.root);
  const expected = originOf(options.origin);
  const respond = (status: number, body: Uint8Array, type: string): AppResponse => ({
    status,
    headers: {
      'Content-Type': type,
      'Content-Security-Policy': options.csp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
    body,
  });
  const refuse = (status: number, why: string): AppResponse =>
    respond(status, new TextEncoder().encode(`${status} ${why}\n`), 'text/plain; charset=utf-8');

  return async (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse(400, 'Bad Request');
    }
    if (originOf(parsed.href) !== expected) return refuse(404, 'Not Found');
    const path = filePath(root, parsed.pathname);
    if (path === null) return refuse(403, 'Forbidden');
    try {
      if (!(await stat(path)).isFile()) return refuse(404, 'Not Found');
      const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      return respond(200, await readFile(path), type);
    } catch {
      return refuse(404, 'Not Found');
    }
  };
}

/**
 * The file a URL path names under `root`, or null when the path is malformed or would leave
 * `root`. Checked after decoding, so an encoded `..` or `/` cannot slip past the check.
 */
export function filePath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = resolve(root, relative);
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/** `scheme://host` of a URL, lower-cased (non-special schemes have an opaque `origin`). */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`.toLowerCase();
  } catch {
    return '';
  }
}
