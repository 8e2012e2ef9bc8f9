import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeExternalUrl } from '../../../main/electron/external-url.js';

describe('safeExternalUrl', () => {
  it('allows http and https, normalised', () => {
    assert.equal(safeExternalUrl('https://example.org/a b'), 'https://example.org/a%20b');
    assert.equal(safeExternalUrl('HTTP://Example.org'), 'http://example.org/');
    assert.equal(safeExternalUrl('  https://example.org/\t'), 'https://example.org/');
  });

  it('refuses every other scheme', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'data:text/html,x',
      'vscode://x',
      'ftp://example.org/',
    ]) {
      assert.equal(safeExternalUrl(url), null, url);
    }
  });

  it('refuses what is not a URL string', () => {
    assert.equal(safeExternalUrl('example.org'), null);
    assert.equal(safeExternalUrl(''), null);
    assert.equal(safeExternalUrl(42), null);
    assert.equal(safeExternalUrl(undefined), null);
    assert.equal(safeExternalUrl(`https://example.org/${'a'.repeat(9000)}`), null);
  });
});
