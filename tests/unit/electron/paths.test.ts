import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { desktopPaths } from '../../../main/electron/paths.js';

describe('desktopPaths', () => {
  const main = join('/opt', 'ferry', 'dist', 'electron');

  it('finds the preload and renderer beside the built main script', () => {
    const paths = desktopPaths(main, undefined);
    assert.equal(paths.preload, join('/opt', 'ferry', 'dist', 'electron', 'preload.cjs'));
    assert.equal(paths.rendererDir, join('/opt', 'ferry', 'dist', 'renderer'));
    assert.equal(paths.devRendererUrl, null);
  });

  it('uses a dev-server URL only on loopback', () => {
    assert.equal(
      desktopPaths(main, 'http://127.0.0.1:5173/').devRendererUrl,
      'http://127.0.0.1:5173/',
    );
    assert.equal(
      desktopPaths(main, 'http://localhost:5173').devRendererUrl,
      'http://localhost:5173',
    );
    assert.equal(desktopPaths(main, 'https://evil.example/').devRendererUrl, null);
    assert.equal(desktopPaths(main, 'file:///tmp/index.html').devRendererUrl, null);
  });
});
