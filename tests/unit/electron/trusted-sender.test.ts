import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppUrl, isTrustedSender } from '../../../main/electron/trusted-sender.js';

const APP = 'app://ferry/index.html';
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
  it("matches the app's own origin, whatever the path, query and hash", () => {
    assert.equal(isAppUrl('app://ferry/index.html?x=1#a', APP), true);
    assert.equal(isAppUrl('app://ferry/other.html', APP), true);
    assert.equal(isAppUrl('APP://FERRY/index.html', APP), true, 'scheme and host are case-free');
  });

  it('refuses another host of the app scheme, and every file: page', () => {
    assert.equal(isAppUrl('app://evil/index.html', APP), false);
    assert.equal(isAppUrl('app://ferry.evil/index.html', APP), false);
    assert.equal(
      isAppUrl('file:///opt/Ferry/resources/app.asar/dist/renderer/index.html', APP),
      false,
    );
    const filePage = 'file:///opt/Ferry/index.html';
    assert.equal(isAppUrl(filePage, filePage), false, 'a file: page is never the app');
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
