// Who started the native host: only what a browser passes for an extension counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callerFromArgs } from '../../../main/native-host/caller.js';

const ID = 'bnkancopcdgnnfppgbepbplhmbojaieo';

describe('callerFromArgs', () => {
  it("reads a Chromium extension's origin, with or without Windows' --parent-window", () => {
    assert.deepEqual(callerFromArgs([`chrome-extension://${ID}/`]), {
      browser: 'chromium',
      extensionId: ID,
    });
    assert.deepEqual(callerFromArgs([`chrome-extension://${ID}/`, '--parent-window=1234']), {
      browser: 'chromium',
      extensionId: ID,
    });
  });

  it('reads a Firefox add-on id after the manifest path', () => {
    assert.deepEqual(
      callerFromArgs([
        '/home/u/.mozilla/native-messaging-hosts/app.ferry.native_host.json',
        'ferry-extension@ferry.app',
      ]),
      { browser: 'firefox', extensionId: 'ferry-extension@ferry.app' },
    );
    assert.deepEqual(
      callerFromArgs(['C:\\Ferry\\firefox.json', '{12345678-1234-1234-1234-123456789abc}']),
      { browser: 'firefox', extensionId: '{12345678-1234-1234-1234-123456789abc}' },
    );
  });

  it('refuses web origins, bad ids, extra arguments and nothing at all', () => {
    for (const args of [
      [],
      ['https://evil.example/'],
      ['chrome-extension://not-an-id/'],
      [`chrome-extension://${ID.toUpperCase()}/`],
      ['/x/manifest.json'],
      ['/x/manifest.json', 'not an id'],
      ['/x/manifest.json', 'a@b.c', 'extra'],
      ['/x/manifest.txt', 'a@b.c'],
      [`moz-extension://${ID}/`],
    ]) {
      assert.equal(callerFromArgs(args), null, JSON.stringify(args));
    }
  });
});
