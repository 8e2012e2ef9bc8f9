import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { desktopPaths } from '../../../main/electron/paths.js';

describe('desktopPaths', () => {
  const main = join('/opt', 'ferry', 'dist', 'electron');

  it('finds the preload and renderer beside the built main script', () => {
    const paths = desktopPaths(main, undefined);
    assert.equal(paths.preload, join('/opt', 'ferry', 'dist', 'electron', 'preload.cjs'));
    assert.equal(paths.rendererFile, join('/opt', 'ferry', 'dist', 'renderer', 'index.html'));
    assert.equal(paths.rendererUrl, pathToFileURL(paths.rendererFile).href);
  });

  it('uses a dev-server URL only on loopback', () => {
    assert.equal(
      desktopPaths(main, 'http://127.0.0.1:5173/').rendererUrl,
      'http://127.0.0.1:5173/',
    );
    assert.equal(desktopPaths(main, 'http://localhost:5173').rendererUrl, 'http://localhost:5173');
    assert.match(desktopPaths(main, 'https://evil.example/').rendererUrl, /^file:/);
  });
});
