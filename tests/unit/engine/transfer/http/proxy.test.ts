// Proxy choice per BITS proxy usage: the bypass matcher (BITS/WinHTTP list syntax), the
// environment lookup with an injected env, and the pool's identity guarantees (one shared
// direct Agent, one cached ProxyAgent per proxy URI) that keep connections reused.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { DEFAULT_PROXY_SETTINGS } from '../../../../../app/index.js';
import type { ProxySettings } from '../../../../../app/index.js';
import {
  createDispatcherPool,
  envProxy,
  matchesBypass,
  proxyFor,
} from '../../../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../../../main/engine/transfer/http/proxy.js';

const pools: DispatcherPool[] = [];

after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function pool(options: Parameters<typeof createDispatcherPool>[0]): DispatcherPool {
  const created = createDispatcherPool(options);
  pools.push(created);
  return created;
}

const override = (proxyList: string[], bypassList: string[] = []): ProxySettings => ({
  usage: 'OVERRIDE',
  proxyList,
  bypassList,
});

describe('matchesBypass', () => {
  it('matches names, wildcards, ports, <local> and IPs case-insensitively', () => {
    const table: [host: string, list: string[], expected: boolean][] = [
      ['example.com', ['example.com'], true],
      ['Example.COM', ['example.com'], true],
      ['example.com', ['EXAMPLE.com'], true],
      ['a.example.com', ['example.com'], false],
      ['a.example.com', ['*.example.com'], true],
      ['a.b.example.com', ['*.example.com'], true],
      ['example.com', ['*.example.com'], false],
      ['a.example.com', ['.example.com'], true],
      ['example.com', ['.example.com'], false],
      ['badexample.com', ['.example.com', '*.example.com'], false],
      ['example.com:8080', ['example.com:8080'], true],
      ['example.com:8081', ['example.com:8080'], false],
      ['example.com:8081', ['example.com'], true],
      ['a.example.com:443', ['*.example.com:443'], true],
      ['intranet', ['<local>'], true],
      ['intranet:80', ['<LOCAL>'], true],
      ['intranet.corp', ['<local>'], false],
      ['127.0.0.1', ['<local>'], false],
      ['127.0.0.1', ['127.0.0.1'], true],
      ['127.0.0.1:3000', ['127.0.0.1'], true],
      ['10.1.2.3', ['10.*'], true],
      ['11.1.2.3', ['10.*'], false],
      ['[::1]:80', ['::1'], true],
      ['[::1]', ['[0:0::1]'], true],
      ['[::2]:80', ['[::1]'], false],
      ['anything.net', ['*'], true],
      ['example.com', ['', '  '], false],
      ['example.com', [], false],
      ['example.com.', ['example.com'], true],
    ];
    for (const [host, list, expected] of table) {
      assert.equal(matchesBypass(host, list), expected, `${host} vs ${JSON.stringify(list)}`);
    }
  });
});

describe('proxy choice', () => {
  it('reads the environment as curl does, with NO_PROXY through the bypass matcher', () => {
    const env = {
      HTTP_PROXY: 'proxy.local:3128',
      https_proxy: 'http://secure.local:3129',
      NO_PROXY: 'internal.corp, .skip.corp,10.0.0.1',
    };
    const table: [url: string, expected: string | null][] = [
      ['http://example.com/x', 'http://proxy.local:3128/'],
      ['https://example.com/x', 'http://secure.local:3129/'],
      ['http://internal.corp/x', null],
      ['http://a.internal.corp/x', null],
      ['http://a.skip.corp/x', null],
      ['http://skip.corp/x', null],
      ['http://10.0.0.1:8080/x', null],
      ['http://notinternal.corp/x', 'http://proxy.local:3128/'],
    ];
    for (const [url, expected] of table) assert.equal(envProxy(new URL(url), env), expected, url);
    assert.equal(envProxy(new URL('https://x.org'), { HTTP_PROXY: 'p:1' }), 'http://p:1/');
    assert.equal(envProxy(new URL('https://x.org'), { HTTP_PROXY: 'p:1', no_proxy: '*' }), null);
    assert.equal(envProxy(new URL('http://x.org'), { http_proxy: '' }), null);
  });

  it('parses OVERRIDE proxy lists in every accepted form', () => {
    const http = new URL('http://example.com/');
    const https = new URL('https://example.com/');
    assert.equal(proxyFor(http, override(['p1:8080', 'p2:8080'])), 'http://p1:8080/');
    assert.equal(proxyFor(http, override(['http://p1:8080'])), 'http://p1:8080/');
    assert.equal(proxyFor(http, override(['https=ps:443;http=ph:81'])), 'http://ph:81/');
    assert.equal(proxyFor(https, override(['https=ps:443 http=ph:80'])), 'http://ps:443/');
    assert.equal(proxyFor(http, override(['p1:8080'], ['example.com'])), null);
    assert.throws(() => proxyFor(http, override(['https=ps:443'])), { code: 'INPUT_INVALID' });
    assert.equal(
      proxyFor(
        http,
        { ...DEFAULT_PROXY_SETTINGS, usage: 'NO_PROXY' },
        { env: { HTTP_PROXY: 'p:1' } },
      ),
      null,
    );
    const system = (url: URL): string | null =>
      url.hostname === 'direct.example' ? 'DIRECT' : 'PROXY sys:8080';
    assert.equal(
      proxyFor(http, DEFAULT_PROXY_SETTINGS, {
        preconfigProxy: system,
        env: { HTTP_PROXY: 'p:1' },
      }),
      'http://sys:8080/',
    );
    assert.equal(
      proxyFor(
        new URL('http://direct.example/'),
        { ...DEFAULT_PROXY_SETTINGS, usage: 'AUTODETECT' },
        { preconfigProxy: system },
      ),
      null,
    );
  });

  it('leases direct and forwarded connections one socket each; tunnels https through one ProxyAgent per proxy', () => {
    const p = pool({
      connectTimeoutMs: 1000,
      env: { HTTP_PROXY: 'envproxy:3128', NO_PROXY: 'local.test' },
    });
    const a = new URL('http://a.test/');
    const b = new URL('https://b.test/');
    const via = (url: URL, settings: ProxySettings): Dispatcher =>
      p.connectionFor(url, settings).dispatcher;
    const direct = p.connectionFor(a, { ...DEFAULT_PROXY_SETTINGS, usage: 'NO_PROXY' });
    assert.ok(direct.dispatcher instanceof Client);
    assert.equal(direct.viaProxy, false);
    assert.equal(direct.proxy, undefined);
    const second = p.connectionFor(a, { ...DEFAULT_PROXY_SETTINGS, usage: 'NO_PROXY' });
    assert.notEqual(second.dispatcher, direct.dispatcher, 'a lent connection is not shared');
    direct.release(true);
    assert.equal(
      via(a, { ...DEFAULT_PROXY_SETTINGS, usage: 'NO_PROXY' }),
      direct.dispatcher,
      'an idle connection given back is reused for its origin',
    );
    assert.ok(via(new URL('http://local.test/'), DEFAULT_PROXY_SETTINGS) instanceof Client);
    assert.ok(via(a, override(['p:1'], ['a.test'])) instanceof Client);

    // http through a proxy: a leased connection to the proxy that forwards (no CONNECT).
    const forwarded = p.connectionFor(a, DEFAULT_PROXY_SETTINGS);
    assert.equal(forwarded.viaProxy, true);
    assert.deepEqual(forwarded.proxy, {
      display: 'http://envproxy:3128',
      credentials: false,
      mode: 'forward',
    });
    assert.ok(!(forwarded.dispatcher instanceof ProxyAgent));
    const forwarded2 = p.connectionFor(a, DEFAULT_PROXY_SETTINGS);
    assert.notEqual(forwarded2.dispatcher, forwarded.dispatcher, 'one socket per lease');
    const withUser = p.connectionFor(a, override(['http://u%40x:p%3Aw@envproxy:3128']));
    assert.deepEqual(withUser.proxy, {
      display: 'http://u@x@envproxy:3128',
      credentials: true,
      mode: 'forward',
    });

    const fromEnv = via(b, DEFAULT_PROXY_SETTINGS);
    assert.ok(fromEnv instanceof ProxyAgent);
    assert.equal(p.connectionFor(b, DEFAULT_PROXY_SETTINGS).proxy?.mode, 'tunnel');
    assert.equal(via(b, { ...DEFAULT_PROXY_SETTINGS, usage: 'AUTODETECT' }), fromEnv);
    assert.equal(via(b, override(['http://envproxy:3128'])), fromEnv, 'same URI, same agent');

    const other = via(b, override(['other:8080']));
    assert.ok(other instanceof ProxyAgent);
    assert.notEqual(other, fromEnv);
    assert.equal(via(b, override(['other:8080'])), other);
  });

  it('refuses dispatchers after close', async () => {
    const p = createDispatcherPool({ connectTimeoutMs: 1000, env: {} });
    await p.close();
    assert.throws(() => p.connectionFor(new URL('http://a.test/'), DEFAULT_PROXY_SETTINGS), {
      code: 'ENGINE_CLOSED',
    });
  });
});
