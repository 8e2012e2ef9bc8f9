// Which downloads the extension takes from the browser.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DownloadFacts } from '../../../extension/src/capture-rules.js';
import { decideCapture, fileTypeOf, isExcluded } from '../../../extension/src/capture-rules.js';
import {
  DEFAULT_CAPTURE_SETTINGS,
  parseCaptureSettings,
  splitList,
} from '../../../extension/src/capture-settings.js';
import { readBypassKey } from '../../../extension/src/bypass-key.js';

const facts = (over: Partial<DownloadFacts> = {}): DownloadFacts => ({
  url: 'https://files.example.com/get?id=1',
  finalUrl: null,
  referrer: 'https://www.example.com/downloads',
  fileName: 'setup.exe',
  mime: 'application/octet-stream',
  bytesTotal: 1000,
  incognito: false,
  byExtension: false,
  ...over,
});

const settings = DEFAULT_CAPTURE_SETTINGS;

describe('decideCapture', () => {
  it('takes a chosen type whatever its size, and anything at least minBytes big', () => {
    assert.deepEqual(decideCapture(facts(), settings, false), { capture: true });
    assert.deepEqual(
      decideCapture(
        facts({ fileName: 'report.pdf', bytesTotal: 2 * 1024 * 1024 }),
        settings,
        false,
      ),
      { capture: true },
    );
    assert.deepEqual(
      decideCapture(
        facts({ fileName: 'report.pdf', bytesTotal: 2 * 1024 * 1024 - 1 }),
        settings,
        false,
      ),
      { capture: false, reason: 'too-small' },
    );
    assert.deepEqual(
      decideCapture(facts({ fileName: 'report.pdf', bytesTotal: null }), settings, false),
      { capture: false, reason: 'too-small' },
      'an unknown size is not "big"',
    );
  });

  it("reads the type from the URL's path when the browser has not named the file yet", () => {
    const unnamed = facts({
      fileName: '',
      url: 'https://x.example/pub/disk%20image.ISO',
      bytesTotal: 10,
    });
    assert.deepEqual(decideCapture(unnamed, settings, false), { capture: true });
  });

  it('leaves the download to the browser when told to, or when it is not a web download', () => {
    const cases: [DownloadFacts, boolean, string][] = [
      [facts(), true, 'bypassed'],
      [facts({ byExtension: true }), false, 'extension'],
      [facts({ incognito: true }), false, 'incognito'],
      [facts({ url: 'blob:https://x.example/1234' }), false, 'scheme'],
      [facts({ url: 'data:application/zip;base64,AA==' }), false, 'scheme'],
      [facts({ finalUrl: 'file:///etc/passwd' }), false, 'scheme'],
    ];
    for (const [input, bypassed, reason] of cases) {
      assert.deepEqual(decideCapture(input, settings, bypassed), { capture: false, reason });
    }
    assert.deepEqual(decideCapture(facts(), { ...settings, enabled: false }, false), {
      capture: false,
      reason: 'disabled',
    });
  });

  it('honours the exclude list for the file, its final host and the page, subdomains included', () => {
    const excluded = { ...settings, excludedSites: ['example.com'] };
    assert.deepEqual(decideCapture(facts(), excluded, false), {
      capture: false,
      reason: 'excluded-site',
    });
    const cdn = facts({ url: 'https://cdn.other.net/a.zip', referrer: 'https://other.net/' });
    assert.deepEqual(decideCapture(cdn, excluded, false), { capture: true });
    assert.deepEqual(
      decideCapture({ ...cdn, finalUrl: 'https://mirror.example.com/a.zip' }, excluded, false),
      { capture: false, reason: 'excluded-site' },
    );
    assert.equal(isExcluded('notexample.com', ['example.com']), false);
    assert.equal(isExcluded('A.Example.COM', ['example.com']), true);
  });
});

describe('fileTypeOf', () => {
  it('takes the last extension of the base name, lower case', () => {
    assert.equal(fileTypeOf('/home/u/Downloads/Linux.ISO'), 'iso');
    assert.equal(fileTypeOf('C:\\Users\\u\\a.tar.gz'), 'gz');
    assert.equal(fileTypeOf('.bashrc'), null);
    assert.equal(fileTypeOf('README'), null);
    assert.equal(fileTypeOf('trailing.'), null);
    assert.equal(fileTypeOf('dir.d/file'), null);
  });
});

describe('capture settings', () => {
  it('falls back to each default on its own when stored values are damaged', () => {
    const parsed = parseCaptureSettings({
      enabled: false,
      minBytes: -5,
      fileTypes: ['zip', '../x'],
      excludedSites: ['intranet.local'],
      shareCookies: 'yes',
      bypassKey: 'meta',
    });
    assert.equal(parsed.enabled, false);
    assert.equal(parsed.minBytes, DEFAULT_CAPTURE_SETTINGS.minBytes);
    assert.deepEqual(parsed.fileTypes, DEFAULT_CAPTURE_SETTINGS.fileTypes);
    assert.deepEqual(parsed.excludedSites, ['intranet.local']);
    assert.equal(parsed.shareCookies, false, 'cookies are shared only when the user says so');
    assert.equal(parsed.bypassKey, 'alt');
    assert.deepEqual(parseCaptureSettings(null), DEFAULT_CAPTURE_SETTINGS);
  });

  it('splits typed lists on commas, spaces and new lines, dropping leading dots and *.', () => {
    assert.deepEqual(splitList(' .zip, iso;\n*.example.com  rar '), [
      'zip',
      'iso',
      'example.com',
      'rar',
    ]);
  });

  it('reads the bypass key without the schema (content script)', () => {
    assert.equal(readBypassKey({ bypassKey: 'shift' }), 'shift');
    assert.equal(readBypassKey({ bypassKey: 'hyper' }), 'alt');
    assert.equal(readBypassKey(undefined), 'alt');
  });
});
