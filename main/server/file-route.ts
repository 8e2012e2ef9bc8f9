import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineHost } from '../host/index.js';
import { securityHeaders, sendText } from './static.js';

/** URL path prefix of the links `files.link` hands out. */
const PREFIX = '/files/';

/**
 * Serves a saved file through a link from `files.link` ("Open file" in a browser): the
 * browser downloads it under its own name. Unknown or expired links get 404; only GET and
 * HEAD are answered. Returns false for any other path, which the caller serves itself.
 */
export async function serveFileLink(
  host: EngineHost,
  request: IncomingMessage,
  response: ServerResponse,
  csp: string,
): Promise<boolean> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith(PREFIX)) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method not allowed\n', csp, { allow: 'GET, HEAD' });
    return true;
  }
  const file = host.resolveFileLink(path);
  const info = file === null ? null : await stat(file.path).catch(() => null);
  if (file === null || info === null || !info.isFile()) {
    sendText(response, 404, 'This link has expired or the file is gone\n', csp);
    return true;
  }
  response.writeHead(200, {
    ...securityHeaders(csp),
    'content-type': 'application/octet-stream',
    'content-length': info.size,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'cache-control': 'no-store',
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file.path);
    stream.on('error', () => {
      response.destroy();
      resolve();
    });
    response.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(response);
  });
  return true;
}
