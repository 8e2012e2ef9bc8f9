// What leaves Ferry for display has its secrets masked (`***`): URL passwords (proxy entries,
// remote names, URLs quoted in messages) and the values of secret headers (Authorization,
// Cookie, X-Api-Key style names); and a masked value written back is put back to the real one
// or refused, never stored. Guards against the proxy password shown by `ferry info --verbose`
// and the Authorization header shown by `ferry history --json`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FerryError } from '../../../app/errors.js';
import type { ProxySettings } from '../../../app/model/proxy.js';
import {
  isSecretHeaderName,
  maskHeaderLine,
  maskProxySettings,
  maskText,
  maskUrl,
  restoreMaskedHeaders,
  restoreMaskedProxy,
  restoreMaskedUrl,
} from '../../../app/secret-mask.js';

describe('isSecretHeaderName', () => {
  for (const name of [
    'Authorization',
    'proxy-authorization',
    'Cookie',
    'Set-Cookie',
    'X-Api-Key',
    'x-apikey',
    'Api-Key',
    'X-Auth-Token',
    'PRIVATE-TOKEN',
    'X-Amz-Security-Token',
    'X-Session-Id',
    'X-Secret',
  ]) {
    it(`${name} is secret`, () => {
      assert.equal(isSecretHeaderName(name), true);
    });
  }
  for (const name of ['Accept', 'User-Agent', 'Referer', 'X-Requested-With', 'Range', 'Author']) {
    it(`${name} is not`, () => {
      assert.equal(isSecretHeaderName(name), false);
    });
  }
});

describe('masking', () => {
  it('masks secret header values and leaves the others', () => {
    assert.equal(maskHeaderLine('Authorization: Bearer abc.def'), 'Authorization: ***');
    assert.equal(maskHeaderLine('X-Api-Key:k3y'), 'X-Api-Key: ***');
    assert.equal(maskHeaderLine('Accept: */*'), 'Accept: */*');
  });

  it('masks URL and proxy passwords, keeping the user', () => {
    assert.equal(maskUrl('http://alice:s3cret@proxy:3128'), 'http://alice:***@proxy:3128');
    assert.equal(maskUrl('alice:s3cret@proxy:3128'), 'alice:***@proxy:3128');
    assert.equal(maskUrl('https://u:p%40ss@h/f?q=a:b@c'), 'https://u:***@h/f?q=a:b@c');
    assert.equal(maskUrl('http://alice@proxy:3128'), 'http://alice@proxy:3128');
    assert.equal(maskUrl('proxy.example:3128'), 'proxy.example:3128');
    assert.equal(maskUrl('https://example.com/a:b@c'), 'https://example.com/a:b@c');
  });

  it('masks URLs and secret headers quoted in a message', () => {
    assert.equal(
      maskText("Cannot reach 'https://bob:hunter2@files.example/a.bin' via http://p:pw@proxy:8080"),
      "Cannot reach 'https://bob:***@files.example/a.bin' via http://p:***@proxy:8080",
    );
    assert.equal(maskText('sent Authorization: Basic YWJj'), 'sent Authorization: ***');
    assert.equal(
      maskText('HTTP 404 at https://h/x (Not Found)'),
      'HTTP 404 at https://h/x (Not Found)',
    );
  });

  it('masks every proxy entry', () => {
    const proxy: ProxySettings = {
      usage: 'OVERRIDE',
      proxyList: ['http://a:1@p1:3128', 'p2:8080'],
      bypassList: ['<local>'],
    };
    assert.deepEqual(maskProxySettings(proxy).proxyList, ['http://a:***@p1:3128', 'p2:8080']);
  });
});

describe('writing masked values back', () => {
  const headers = [
    'Authorization: Bearer real',
    'Accept: text/plain',
    'Cookie: a=1',
    'Cookie: b=2',
  ];

  it('puts the real header values back, in order per name', () => {
    assert.deepEqual(
      restoreMaskedHeaders(
        ['Authorization: ***', 'Accept: */*', 'Cookie: ***', 'Cookie: ***', 'X-New: 1'],
        headers,
      ),
      ['Authorization: Bearer real', 'Accept: */*', 'Cookie: a=1', 'Cookie: b=2', 'X-New: 1'],
    );
  });

  it('refuses a masked header value that stands for nothing', () => {
    assert.throws(
      () => restoreMaskedHeaders(['X-Api-Key: ***'], headers),
      (error: unknown) =>
        error instanceof FerryError &&
        error.code === 'INPUT_INVALID' &&
        error.message.includes('X-Api-Key'),
    );
  });

  it('puts the real proxy password back and refuses an unknown masked one', () => {
    const current: ProxySettings = {
      usage: 'OVERRIDE',
      proxyList: ['http://alice:s3cret@proxy:3128'],
      bypassList: [],
    };
    const shown = maskProxySettings(current);
    assert.deepEqual(restoreMaskedProxy(shown, current), current);
    const other = { ...shown, proxyList: ['http://bob:***@proxy:3128'] };
    assert.throws(() => restoreMaskedProxy(other, current), /masked password/);
    const fresh = { ...shown, proxyList: ['http://alice:new@proxy:3128'] };
    assert.deepEqual(restoreMaskedProxy(fresh, current), fresh);
  });

  it('keeps a remote URL written back as shown', () => {
    const real = 'https://u:pw@h/f.bin';
    assert.equal(restoreMaskedUrl(maskUrl(real), real), real);
    assert.equal(restoreMaskedUrl('https://h/other.bin', real), 'https://h/other.bin');
    assert.throws(() => restoreMaskedUrl('https://v:***@h/f.bin', real), /masked password/);
  });
});
