import { request } from 'node:http';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { startTestServer } from '../../support/http-server.js';
import type { TestServer } from '../../support/http-server.js';
import { startRecordingProxy } from '../../support/recording-proxy.js';
import type { RecordingProxy } from '../../support/recording-proxy.js';

/** Send one absolute-form request straight to the proxy, as a plain HTTP proxy client does. */
function viaAbsoluteForm(proxy: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startRecordingProxy', () => {
  let server: TestServer;
  let proxy: RecordingProxy;
  const body = Buffer.from('through the proxy');

  before(async () => {
    server = await startTestServer();
    server.setFile('/file', { body });
    proxy = await startRecordingProxy();
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('tunnels undici CONNECT requests and records the target', async () => {
    proxy.reset();
    const dispatcher = new ProxyAgent(proxy.origin);
    try {
      const res = await undiciFetch(server.url('/file'), { dispatcher });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), body.toString());
    } finally {
      await dispatcher.close();
    }
    const { host } = new URL(server.origin);
    assert.deepEqual(
      proxy.log.map(({ method, target, status }) => ({ method, target, status })),
      [{ method: 'CONNECT', target: host, status: 200 }],
    );
  });

  it('forwards absolute-form requests and records the URL', async () => {
    proxy.reset();
    const answer = await viaAbsoluteForm(proxy.origin, server.url('/file?q=1'));
    assert.deepEqual(answer, { status: 200, body: body.toString() });
    const dispatcher = new ProxyAgent({ uri: proxy.origin, proxyTunnel: false });
    try {
      const res = await undiciFetch(server.url('/file'), { dispatcher });
      assert.equal(await res.text(), body.toString());
    } finally {
      await dispatcher.close();
    }
    assert.deepEqual(
      proxy.log.map(({ method, target }) => ({ method, target })),
      [
        { method: 'GET', target: server.url('/file?q=1') },
        { method: 'GET', target: server.url('/file') },
      ],
    );
    assert.equal(server.requests.at(-1)?.headers['proxy-connection'], undefined);
  });

  it('refuses targets that are not loopback', async () => {
    proxy.reset();
    const answer = await viaAbsoluteForm(proxy.origin, 'http://example.invalid/');
    assert.equal(answer.status, 403);
    const dispatcher = new ProxyAgent(proxy.origin);
    try {
      await assert.rejects(undiciFetch('http://example.invalid/', { dispatcher }));
    } finally {
      await dispatcher.close();
    }
    assert.deepEqual(
      proxy.log.map(({ method, target, status }) => ({ method, target, status })),
      [
        { method: 'GET', target: 'http://example.invalid/', status: 403 },
        { method: 'CONNECT', target: 'example.invalid:80', status: 403 },
      ],
    );
  });

  it('passes a body cut short upstream on as an error', async () => {
    server.setFile('/drop', { body: { size: 100_000, seed: 3 }, dropAfterBytes: 1000 });
    const dispatcher = new ProxyAgent({ uri: proxy.origin, proxyTunnel: false });
    try {
      const res = await undiciFetch(server.url('/drop'), { dispatcher });
      await assert.rejects(res.arrayBuffer());
    } finally {
      await dispatcher.close();
    }
  });

  it('requires credentials when configured', async () => {
    const guarded = await startRecordingProxy({ auth: { username: 'u', password: 'p w' } });
    try {
      const anonymous = new ProxyAgent(guarded.origin);
      try {
        await assert.rejects(undiciFetch(server.url('/file'), { dispatcher: anonymous }));
      } finally {
        await anonymous.close();
      }
      const token = `Basic ${Buffer.from('u:p w').toString('base64')}`;
      const signedIn = new ProxyAgent({ uri: guarded.origin, token });
      try {
        const res = await undiciFetch(server.url('/file'), { dispatcher: signedIn });
        assert.equal(await res.text(), body.toString());
      } finally {
        await signedIn.close();
      }
      assert.deepEqual(
        guarded.log.map(({ status, proxyAuthorization }) => ({ status, proxyAuthorization })),
        [
          { status: 407, proxyAuthorization: undefined },
          { status: 200, proxyAuthorization: token },
        ],
      );
    } finally {
      await guarded.close();
    }
  });
});
