// The built renderer over HTTP: security headers on every response, the page's CSP meta tag
// rewritten to the server policy (a meta and a header policy both apply), no way out of the
// static folder, GET/HEAD only, and the Host check on plain requests too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP_CSP, contentSecurityPolicy } from '../../app/csp.js';
import { httpRequest, startHarness } from './harness.js';
import type { Harness, HttpResult } from './harness.js';

let h: Harness;
let bare: Harness;
let csp: string;

const INDEX = `<!doctype html>
<html><head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="${DESKTOP_CSP}" />
<title>Ferry</title>
<script type="module" src="/assets/app.js"></script>
</head><body><div id="root"></div></body></html>
`;

before(async () => {
  bare = await startHarness({ staticDir: null });
  const root = join(bare.dir.path, 'site');
  // The secret sits next to the static folder: traversal would reach it.
  writeFileSync(join(bare.dir.path, 'secret.txt'), 'TOP SECRET\n');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("ferry");\n');
  writeFileSync(join(root, 'assets', 'app.css'), 'body { margin: 0 }\n');
  writeFileSync(join(root, 'assets', 'blob.xyz'), 'raw');
  symlinkSync(join(bare.dir.path, 'secret.txt'), join(root, 'assets', 'escape.txt'));
  h = await startHarness({ staticDir: root });
  csp = contentSecurityPolicy({ kind: 'server', webSocketOrigin: `ws://127.0.0.1:${h.port}` });
});

after(async () => {
  await h.close();
  await bare.close();
});

function assertSecurityHeaders(response: HttpResult, port: number): void {
  const expected = contentSecurityPolicy({
    kind: 'server',
    webSocketOrigin: `ws://127.0.0.1:${port}`,
  });
  assert.equal(response.headers['content-security-policy'], expected);
  assert.match(expected, /connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['referrer-policy'], 'no-referrer');
  assert.equal(response.headers['x-frame-options'], 'DENY');
}

describe('the renderer', () => {
  it('serves index.html at / with the security headers and its CSP meta rewritten', async () => {
    const response = await httpRequest(h.port, '/');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assertSecurityHeaders(response, h.port);
    assert.ok(!response.body.includes(`content="${DESKTOP_CSP}"`), 'the desktop policy is gone');
    assert.ok(
      response.body.includes(`<meta http-equiv="Content-Security-Policy" content="${csp}" />`),
      response.body,
    );
    assert.ok(response.body.includes('<div id="root"></div>'), 'the rest of the page is intact');
  });

  it('serves assets with their content types and the same headers', async () => {
    for (const [path, type] of [
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/blob.xyz', 'application/octet-stream'],
      ['/index.html', 'text/html; charset=utf-8'],
    ] as const) {
      const response = await httpRequest(h.port, path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers['content-type'], type, path);
      assertSecurityHeaders(response, h.port);
    }
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const head = await httpRequest(h.port, '/assets/app.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String('console.log("ferry");\n'.length));
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await httpRequest(h.port, '/', { method });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.allow, 'GET, HEAD');
      assertSecurityHeaders(response, h.port);
    }
  });

  it('never serves a file outside the static folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/escape.txt',
      '/%00index.html',
      '/%E0%A4%A',
      '/assets',
      '/assets/',
      '/missing.js',
    ]) {
      const response = await httpRequest(h.port, path);
      assert.ok([400, 404].includes(response.status), `${path}: ${response.status}`);
      assert.ok(!response.body.includes('TOP SECRET'), path);
      assertSecurityHeaders(response, h.port);
    }
  });

  it('refuses requests with an unexpected Host header with 403', async () => {
    for (const host of [`evil.example:${h.port}`, `127.0.0.1:${h.port + 1}`, 'localhost']) {
      const response = await httpRequest(h.port, '/', { headers: { host } });
      assert.equal(response.status, 403, host);
      assert.ok(!response.body.includes('root'), 'no page content');
      assertSecurityHeaders(response, h.port);
    }
    const ok = await httpRequest(h.port, '/', { headers: { host: `localhost:${h.port}` } });
    assert.equal(ok.status, 200);
  });
});

describe('without a built renderer', () => {
  it('explains at / how to build it, with the security headers', async () => {
    const response = await httpRequest(bare.port, '/');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(response.body, /npm run build:renderer/);
    assertSecurityHeaders(response, bare.port);
    assert.equal((await httpRequest(bare.port, '/assets/app.js')).status, 404);
  });

  it('starts with a static folder that does not exist yet', async () => {
    const later = await startHarness({ staticDir: join(bare.dir.path, 'not-built') });
    try {
      const response = await httpRequest(later.port, '/');
      assert.match(response.body, /npm run build:renderer/);
    } finally {
      await later.close();
    }
  });
});
