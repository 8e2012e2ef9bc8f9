import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasErrorCode } from '../../../app/index.js';
import { mainWindowOptions } from '../../../main/electron/window-options.js';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions({
    preloadPath: '/app/out/preload/preload.cjs',
    devTools: false,
  });

  it('isolates and sandboxes the renderer, with no Node in it', () => {
    const web = options.webPreferences;
    assert.equal(web.contextIsolation, true);
    assert.equal(web.sandbox, true);
    assert.equal(web.nodeIntegration, false);
    assert.equal(web.nodeIntegrationInWorker, false);
    assert.equal(web.nodeIntegrationInSubFrames, false);
  });

  it('keeps web security on and <webview>, insecure content and experiments off', () => {
    const web = options.webPreferences;
    assert.equal(web.webviewTag, false);
    assert.equal(web.webSecurity, true);
    assert.equal(web.allowRunningInsecureContent, false);
    assert.equal(web.experimentalFeatures, false);
    assert.equal(web.navigateOnDragDrop, false);
  });

  it('loads the given preload and opens hidden until ready-to-show', () => {
    assert.equal(options.webPreferences.preload, '/app/out/preload/preload.cjs');
    assert.equal(options.show, false);
    assert.equal(options.title, 'Ferry');
  });

  it('sets DevTools and the icon only as asked', () => {
    assert.equal(options.webPreferences.devTools, false);
    assert.equal('icon' in options, false);
    const dev = mainWindowOptions({
      preloadPath: 'C:\\Ferry\\preload.cjs',
      iconPath: '/app/icon.png',
      devTools: true,
    });
    assert.equal(dev.webPreferences.devTools, true);
    assert.equal(dev.icon, '/app/icon.png');
  });

  it('refuses a relative preload path, naming it', () => {
    assert.throws(
      () => mainWindowOptions({ preloadPath: 'out/preload.cjs', devTools: false }),
      (error: unknown) =>
        hasErrorCode(error, 'INPUT_INVALID') &&
        (error as Error).message.includes('out/preload.cjs'),
    );
  });
});
