/**
 * Runs the test file server in its own process, for tests that must outlive or kill a client.
 *
 * Usage: `node --import tsx tests/support/http-server-main.ts [config.json]` (stdin without a
 * path or with `-`). The config is `{ "files": { "/path": TestFileJson }, "redirects":
 * { "/path": { "to": "/other", "status": 302 } } }`, where a TestFileJson is a TestFile whose
 * `body` is `{ "size": n, "seed": n }`, `{ "text": "..." }` or `{ "base64": "..." }`.
 * Prints `{"origin":"http://127.0.0.1:port"}` once listening; on SIGTERM or SIGINT prints
 * `{"closed":true,"requests":n,"bytesSent":n}` and exits 0.
 */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { startTestServer } from './http-server.js';
import type { RedirectStatus, TestFile } from './http-server.js';

interface Config {
  files?: Record<string, Omit<TestFile, 'body'> & { body: unknown }>;
  redirects?: Record<string, { to: string; status?: RedirectStatus }>;
}

/** Turn a JSON body description into a TestFile body. */
function bodyFromJson(path: string, body: unknown): TestFile['body'] {
  if (typeof body === 'object' && body !== null) {
    if ('text' in body && typeof body.text === 'string') return Buffer.from(body.text);
    if ('base64' in body && typeof body.base64 === 'string') {
      return Buffer.from(body.base64, 'base64');
    }
    if ('size' in body && 'seed' in body) {
      const { size, seed } = body;
      if (typeof size === 'number' && typeof seed === 'number') return { size, seed };
    }
  }
  throw new Error(`${path}: body must be {size, seed}, {text} or {base64}`);
}

const source = process.argv[2];
const raw =
  source === undefined || source === '-'
    ? await text(process.stdin)
    : await readFile(source, 'utf8');
const config = JSON.parse(raw) as Config;
const server = await startTestServer();
for (const [path, file] of Object.entries(config.files ?? {})) {
  server.setFile(path, { ...file, body: bodyFromJson(path, file.body) });
}
for (const [path, { to, status }] of Object.entries(config.redirects ?? {})) {
  server.redirect(path, to, status);
}
process.stdout.write(`${JSON.stringify({ origin: server.origin })}\n`);

const stop = (): void => {
  void server.close().then(() => {
    const summary = {
      closed: true,
      requests: server.requests.length,
      bytesSent: server.bytesSent(),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
