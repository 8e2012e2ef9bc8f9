import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAppRequestHandler, filePath } from '../../../main/electron/app-protocol.js';
import type { AppRequestHandler } from '../../../main/electron/platform.js';
import { makeTempDir } from '../../support/engine-harness.js';
import type { TempDir } from '../../support/engine-harness.js';

const CSP = "default-src 'none'";
let dir: TempDir;
let root: string;
let handle: AppRequestHandler;

before(() => {
  dir = makeTempDir('ferry-app-protocol-');
  root = join(dir.path, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Ferry</title>');
  writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)');
  // A secret beside the renderer folder, and one whose name starts like it.
  writeFileSync(join(dir.path, 'secret.txt'), 'secret');
  mkdirSync(join(dir.path, 'renderer-evil'));
  writeFileSync(join(dir.path, 'renderer-evil', 'x.txt'), 'secret');
  handle = createAppRequestHandler({ root, csp: CSP, origin: 'app://ferry' });
});

after(() => {
  dir.cleanup();
});

const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

describe('the app protocol handler', () => {
  it('serves the page and its assets with the CSP header and their types', async () => {
    for (const url of ['app://ferry/', 'app://ferry/index.html', 'app://ferry/index.html?x#y']) {
      const response = await handle(url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers['Content-Type'], 'text/html; charset=utf-8');
      assert.equal(response.headers['Content-Security-Policy'], CSP);
      assert.equal(response.headers['X-Content-Type-Options'], 'nosniff');
      assert.match(text(response.body), /<title>Ferry/);
    }
    const script = await handle('app://ferry/assets/main.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['Content-Type'], 'text/javascript; charset=utf-8');
  });

  it('refuses every path that would leave the renderer folder, encoded or not', async () => {
    for (const url of [
      'app://ferry/../secret.txt',
      'app://ferry/%2e%2e/secret.txt',
      'app://ferry/%2E%2E/secret.txt',
      'app://ferry/..%2fsecret.txt',
      'app://ferry/assets/..%2f..%2fsecret.txt',
      'app://ferry/..%5csecret.txt',
      'app://ferry/%252e%252e/secret.txt',
      'app://ferry/..%2f..%2frenderer-evil/x.txt',
      'app://ferry/index.html%00.js',
      'app://ferry/%E0%A4%A',
    ]) {
      const response = await handle(url);
      assert.ok([403, 404].includes(response.status), `${url}: ${response.status}`);
      assert.doesNotMatch(text(response.body), /secret/, url);
      assert.equal(response.headers['Content-Security-Policy'], CSP, 'refusals carry the CSP too');
    }
  });

  it('answers 404 for another host, a folder and a missing file', async () => {
    assert.equal((await handle('app://evil/index.html')).status, 404);
    assert.equal((await handle('app://ferry/assets')).status, 404);
    assert.equal((await handle('app://ferry/nope.js')).status, 404);
    assert.equal((await handle('not a url')).status, 400);
  });
});

describe('filePath', () => {
  it('maps URL paths inside the root and refuses the rest', () => {
    assert.equal(filePath('/r', '/'), '/r/index.html');
    assert.equal(filePath('/r', '/a/b.js'), '/r/a/b.js');
    assert.equal(filePath('/r', '/a%20b.js'), '/r/a b.js');
    for (const path of [
      '/../x',
      '/a/../../x',
      '/..%2fx',
      '/%2e%2e/x',
      '/a\\..\\x',
      '/%00',
      '/%zz',
    ]) {
      assert.equal(filePath('/r', path), null, path);
    }
  });
});
