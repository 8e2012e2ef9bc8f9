import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ARGV_URLS, urlsFromArgv, urlsFromText } from '../../../main/electron/argv-urls.js';

describe('urlsFromArgv', () => {
  it('takes the http(s) URLs of a packaged launch', () => {
    assert.deepEqual(
      urlsFromArgv(['/opt/Ferry/ferry', 'https://example.org/a.iso', 'http://h:8080/b']),
      ['https://example.org/a.iso', 'http://h:8080/b'],
    );
  });

  it('skips the executable, the app path, switches and switch values', () => {
    assert.deepEqual(
      urlsFromArgv([
        '/usr/lib/electron/electron',
        '.',
        '--allow-file-access-from-files',
        '--proxy-server=http://proxy:3128',
        'https://example.org/x',
      ]),
      ['https://example.org/x'],
    );
  });

  it('ignores other schemes and non-URLs, and keeps the first of duplicates', () => {
    assert.deepEqual(
      urlsFromArgv([
        'file:///etc/passwd',
        'javascript:alert(1)',
        'ftp://example.org/f',
        'example.org/x',
        'https://example.org/x',
        'HTTPS://EXAMPLE.org/x',
      ]),
      ['https://example.org/x'],
    );
  });

  it('caps how many it takes', () => {
    const argv = Array.from({ length: MAX_ARGV_URLS + 5 }, (_, i) => `https://h/${i}`);
    assert.equal(urlsFromArgv(argv).length, MAX_ARGV_URLS);
    assert.deepEqual(urlsFromArgv([]), []);
  });
});

describe('urlsFromText', () => {
  it('finds the http(s) URLs among the words of a text (the clipboard)', () => {
    assert.deepEqual(
      urlsFromText(
        'see https://example.org/a.iso\nand\thttp://example.org/b.zip ftp://x/ --y=http://z/',
      ),
      ['https://example.org/a.iso', 'http://example.org/b.zip'],
    );
    assert.deepEqual(urlsFromText(''), []);
  });
});
