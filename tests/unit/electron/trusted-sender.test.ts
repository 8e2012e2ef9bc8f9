import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppUrl, isTrustedSender } from '../../../main/electron/trusted-sender.js';

const APP = 'file:///opt/Ferry/resources/app.asar/out/renderer/index.html';
const ui = { webContentsIds: new Set([3]), appUrl: APP };
const good = { webContentsId: 3, frameUrl: `${APP}#/jobs`, isMainFrame: true };

describe('isTrustedSender', () => {
  it("accepts the main frame of a known window on the app's page", () => {
    assert.equal(isTrustedSender(good, ui), true);
  });

  it('refuses an unknown web contents', () => {
    assert.equal(isTrustedSender({ ...good, webContentsId: 4 }, ui), false);
  });

  it('refuses a subframe, even on the app page', () => {
    assert.equal(isTrustedSender({ ...good, isMainFrame: false }, ui), false);
  });

  it('refuses a frame that is gone', () => {
    assert.equal(isTrustedSender({ ...good, frameUrl: null }, ui), false);
  });

  it('refuses a known window that shows another page', () => {
    assert.equal(isTrustedSender({ ...good, frameUrl: 'https://evil.example/' }, ui), false);
    assert.equal(isTrustedSender({ ...good, frameUrl: 'file:///tmp/index.html' }, ui), false);
  });
});

describe('isAppUrl', () => {
  it('matches a file page by exact path, ignoring query and hash', () => {
    assert.equal(isAppUrl(`${APP}?x=1#a`, APP), true);
    assert.equal(isAppUrl(APP.replace('index.html', 'other.html'), APP), false);
    assert.equal(
      isAppUrl('file://host/opt/Ferry/resources/app.asar/out/renderer/index.html', APP),
      false,
    );
  });

  it('matches a dev-server page by origin', () => {
    const dev = 'http://127.0.0.1:5173/';
    assert.equal(isAppUrl('http://127.0.0.1:5173/jobs', dev), true);
    assert.equal(isAppUrl('http://127.0.0.1:5174/', dev), false);
    assert.equal(isAppUrl('https://127.0.0.1:5173/', dev), false);
    assert.equal(isAppUrl('http://localhost:5173/', dev), false);
  });

  it('refuses what does not parse and other schemes', () => {
    assert.equal(isAppUrl('not a url', APP), false);
    assert.equal(isAppUrl(APP, 'not a url'), false);
    assert.equal(isAppUrl('data:text/html,x', 'data:text/html,x'), false);
  });
});
