import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the site received. */
export interface SiteRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** A small site on 127.0.0.1: a page of links that sets a login cookie, and files. */
export interface Site {
  readonly origin: string;
  readonly requests: readonly SiteRequest[];
  /** Forgets the requests so far. */
  reset(): void;
  /** Requests for `path` (query ignored). */
  requestsFor(path: string): SiteRequest[];
  close(): Promise<void>;
}

/** The archive the site serves (its name comes only from Content-Disposition). */
export const ARCHIVE_BYTES = Buffer.alloc(256 * 1024, 7);
export const ARCHIVE_NAME = 'Archive 2026.zip';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Files</title></head>
<body>
  <p id="intro">Files for <b>members</b>:
    <a id="archive" href="/download?id=42">the archive</a>,
    <a id="notes" href="/files/notes.iso">notes</a> and
    <a id="small" href="/files/readme.txt">readme</a>.
  </p>
</body></html>`;

/** Starts the site. */
export async function startSite(): Promise<Site> {
  const requests: SiteRequest[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers });
    if (path === '/page.html') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': 'session=s3cret-42; Path=/; HttpOnly',
      });
      response.end(PAGE);
      return;
    }
    if (path === '/download' || path.startsWith('/files/')) {
      const name = path === '/download' ? ARCHIVE_NAME : path.slice('/files/'.length);
      const body = path.endsWith('.txt') ? Buffer.from('read me\n') : ARCHIVE_BYTES;
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': body.length,
        'content-disposition': `attachment; filename="${name}"`,
      });
      // HEAD gets the headers only.
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    reset: () => {
      requests.length = 0;
    },
    requestsFor: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
