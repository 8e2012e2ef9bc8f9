import { existsSync, statSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Serves the built renderer (`npm run build:renderer` → `dist/renderer`) to browsers.
 *
 * Only GET and HEAD, only files inside the folder (a resolved path that leaves it, directly or
 * through a symlink, is refused), with a content type from a fixed table. `index.html` gets
 * its Content-Security-Policy meta tag rewritten to the server's policy: the built page
 * carries the desktop policy (no `connect-src`), and a browser applies a meta policy and a
 * header policy together, so leaving it would block the page's own WebSocket.
 */

/** Where `npm run build:renderer` puts the renderer, relative to the repository root. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

/** Shown at `/` when there is no built renderer. */
const NOT_BUILT_TEXT =
  'Ferry is running, but its web UI has not been built.\n' +
  'Run `npm run build:renderer`, then reload this page.\n' +
  'The CLI (`ferry list`, `ferry transfer ...`) works without it.\n';

/** Headers every response of the server carries, whatever it serves. */
export function securityHeaders(csp: string): OutgoingHttpHeaders {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/** Sends a short plain-text response with the security headers. */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  csp: string,
  extra: OutgoingHttpHeaders = {},
): void {
  const body = Buffer.from(text, 'utf8');
  response.writeHead(status, {
    ...securityHeaders(csp),
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** Answers one static-file request. */
export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * A handler serving `staticDir`; with `null`, or a folder that does not exist (checked per
 * request, so a build made while the server runs shows up on reload), `/` explains how to
 * build the UI and everything else is 404.
 */
export function createStaticHandler(staticDir: string | null, csp: string): StaticHandler {
  const root = staticDir === null ? null : resolve(staticDir);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed\n', csp, { allow: 'GET, HEAD' });
      return;
    }
    const path = requestPath(request.url ?? '/');
    if (path === null) {
      sendText(response, 400, 'Bad request path\n', csp);
      return;
    }
    if (root === null || !isDirectory(root)) {
      if (path === '/') sendText(response, 200, NOT_BUILT_TEXT, csp);
      else sendText(response, 404, 'Not found\n', csp);
      return;
    }
    const file = await resolveInside(root, path === '/' ? '/index.html' : path);
    if (file === null) {
      sendText(response, 404, 'Not found\n', csp);
      return;
    }
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    let body = await readFile(file);
    if (extname(file).toLowerCase() === '.html') {
      body = Buffer.from(withCspMeta(body.toString('utf8'), csp), 'utf8');
    }
    response.writeHead(200, {
      ...securityHeaders(csp),
      'content-type': type,
      'content-length': body.length,
      // The UI is small and local: always revalidate, so a rebuild shows on reload.
      'cache-control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

/** The decoded path of a request target, or null when it cannot be a file path. */
function requestPath(target: string): string | null {
  const cut = target.search(/[?#]/);
  const raw = cut === -1 ? target : target.slice(0, cut);
  if (!raw.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // NUL bytes and backslashes have no business in a URL path to a built asset.
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  return decoded;
}

/**
 * The real path of a regular file at `path` under `root`, or null when there is none or it
 * lies outside `root` (`..` segments, or a symlink pointing out).
 */
async function resolveInside(root: string, path: string): Promise<string | null> {
  const candidate = resolve(root, `.${path}`);
  if (!isWithin(root, candidate)) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isWithin(realRoot, realFile)) return null;
    return (await stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * The page with every Content-Security-Policy meta tag's content replaced by `csp`.
 *
 * Matches `<meta ... http-equiv="Content-Security-Policy" ... content="...">` with the
 * attributes in either order and either quote style.
 */
export function withCspMeta(html: string, csp: string): string {
  const escaped = csp.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return html.replace(/<meta\b[^>]*>/gi, (tag) => {
    if (!/http-equiv\s*=\s*(["'])content-security-policy\1/i.test(tag)) return tag;
    return tag.replace(/\bcontent\s*=\s*(["'])[\s\S]*?\1/i, () => `content="${escaped}"`);
  });
}
