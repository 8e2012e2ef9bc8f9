import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PROBE_URLS,
  SystemProxyCache,
  parseProxyRules,
} from '../../../main/electron/system-proxy.js';

describe('parseProxyRules', () => {
  it('maps PROXY and HTTPS to the hook format, DIRECT to null', () => {
    assert.equal(parseProxyRules('PROXY proxy.corp:8080; DIRECT'), 'http://proxy.corp:8080');
    assert.equal(parseProxyRules('HTTPS secure.corp:443'), 'https://secure.corp:443');
    assert.equal(parseProxyRules('DIRECT'), null);
    assert.equal(parseProxyRules('proxy [::1]:3128'), 'http://[::1]:3128');
  });

  it('takes the first usable entry, skipping SOCKS and malformed ones', () => {
    assert.equal(
      parseProxyRules('SOCKS5 s:1080; PROXY bad host:1; PROXY h:99999; PROXY ok:3128; DIRECT'),
      'http://ok:3128',
    );
    assert.equal(parseProxyRules('DIRECT; PROXY h:1'), null);
  });

  it('means direct when nothing is usable', () => {
    assert.equal(parseProxyRules(''), null);
    assert.equal(parseProxyRules(' ; '), null);
    assert.equal(parseProxyRules('SOCKS s:1080'), null);
    assert.equal(parseProxyRules('PROXY user:pw@h:1/path'), null);
  });
});

/** A resolver the test answers by hand, recording what was asked. */
function manualResolver() {
  const asked: string[] = [];
  const waiting = new Map<string, (rules: string) => void>();
  return {
    asked,
    resolve(url: string): Promise<string> {
      asked.push(url);
      return new Promise((settle) => waiting.set(url, settle));
    },
    answer(url: string, rules: string) {
      const settle = waiting.get(url);
      assert.ok(settle, `nobody asked for ${url}`);
      waiting.delete(url);
      settle(rules);
    },
  };
}

describe('SystemProxyCache', () => {
  it('primes one answer per scheme and uses it for hosts not resolved yet', async () => {
    const r = manualResolver();
    const cache = new SystemProxyCache({ resolve: (u) => r.resolve(u), now: () => 0 });
    const primed = cache.prime();
    r.answer(PROBE_URLS['http:'], 'PROXY p:8080');
    r.answer(PROBE_URLS['https:'], 'DIRECT');
    await primed;
    assert.equal(cache.lookup(new URL('http://files.example/a')), 'http://p:8080');
    assert.equal(cache.lookup(new URL('https://files.example/a')), null);
    assert.deepEqual(r.asked.slice(2), ['http://files.example/a', 'https://files.example/a']);
  });

  it('uses the per-origin answer once resolved, and asks only once meanwhile', async () => {
    const r = manualResolver();
    const cache = new SystemProxyCache({ resolve: (u) => r.resolve(u), now: () => 0 });
    const primed = cache.prime();
    r.answer(PROBE_URLS['http:'], 'DIRECT');
    r.answer(PROBE_URLS['https:'], 'DIRECT');
    await primed;
    assert.equal(cache.lookup(new URL('http://intranet:81/x')), null);
    assert.equal(cache.lookup(new URL('http://intranet:81/y')), null);
    r.answer('http://intranet:81/x', 'PROXY inner:3128');
    await cache.settled();
    assert.equal(cache.lookup(new URL('http://intranet:81/z')), 'http://inner:3128');
    assert.equal(r.asked.filter((u) => u.startsWith('http://intranet')).length, 1);
  });

  it('keeps serving a stale answer while refreshing it after the TTL', async () => {
    const r = manualResolver();
    let now = 0;
    const cache = new SystemProxyCache({
      resolve: (u) => r.resolve(u),
      now: () => now,
      ttlMs: 1000,
    });
    const primed = cache.prime();
    r.answer(PROBE_URLS['http:'], 'PROXY old:1');
    r.answer(PROBE_URLS['https:'], 'DIRECT');
    await primed;
    now = 1500;
    assert.equal(cache.lookup(new URL(PROBE_URLS['http:'])), 'http://old:1');
    r.answer(PROBE_URLS['http:'], 'PROXY new:2');
    await cache.settled();
    assert.equal(cache.lookup(new URL(PROBE_URLS['http:'])), 'http://new:2');
  });

  it('keeps the previous answer when a resolution fails, and reports it', async () => {
    const failures: string[] = [];
    let fail = false;
    const cache = new SystemProxyCache({
      resolve: () =>
        fail ? Promise.reject(new Error('resolver gone')) : Promise.resolve('PROXY p:1'),
      now: () => (fail ? 10_000_000 : 0),
      onError: (url) => failures.push(url),
    });
    await cache.prime();
    fail = true;
    assert.equal(cache.lookup(new URL(PROBE_URLS['https:'])), 'http://p:1');
    await cache.settled();
    assert.equal(cache.lookup(new URL(PROBE_URLS['https:'])), 'http://p:1');
    assert.ok(failures.includes(PROBE_URLS['https:']));
  });

  it('answers direct for schemes it has no probe for', () => {
    const cache = new SystemProxyCache({
      resolve: () => Promise.resolve('PROXY p:1'),
      now: () => 0,
    });
    assert.equal(cache.lookup(new URL('ftp://example.org/')), null);
  });
});
