// The server's gate: the token file (created private, reused, replaced when it could have
// leaked), the token on every WebSocket upgrade, and the Host and Origin checks that stop DNS
// rebinding and cross-site WebSocket hijacking. A refused upgrade reveals nothing about jobs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { RPC_PROTOCOL, RPC_TOKEN_PROTOCOL_PREFIX, rpcProtocols } from '../../app/wire.js';
import {
  SERVER_INFO_FILE,
  TOKEN_FILE,
  loadOrCreateToken,
  readServerInfoSync,
  startRpcServer,
} from '../../main/server/index.js';
import { connectRaw, refusedStatus, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;

before(async () => {
  h = await startHarness();
  // A job whose name must never appear in a refusal.
  h.engine.createJob({ displayName: 'secret-job-name' });
});

after(async () => {
  await h.close();
});

/** Sends raw bytes and resolves with everything the server answered until it closed. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(text);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

function assertRevealsNothing(body: string): void {
  assert.doesNotMatch(body, /secret-job-name|jobId|"jobs"/);
  assert.ok(!body.includes(h.token), 'the token is never echoed');
}

describe('token file', () => {
  it('is created on first run with mode 0600 and 64 hex digits, and the URL carries it', () => {
    const path = join(h.dataDir, TOKEN_FILE);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8').trim(), h.token);
    assert.match(h.token, /^[0-9a-f]{64}$/);
    assert.equal(h.server.url, `http://127.0.0.1:${h.port}/#token=${h.token}`);
  });

  it('is reused by a later server on the same data directory', async () => {
    const again = await startRpcServer({
      host: h.host,
      dataDir: h.dataDir,
      port: 0,
      staticDir: null,
    });
    try {
      assert.ok(again.url.endsWith(`#token=${h.token}`));
      assert.notEqual(again.port, h.port);
    } finally {
      await again.close();
    }
  });

  it('is replaced by a fresh private token when others could read it', () => {
    const dataDir = join(h.dir.path, 'loose');
    const first = loadOrCreateToken(mkdir(dataDir));
    const path = join(dataDir, TOKEN_FILE);
    chmodSync(path, 0o644);
    const second = loadOrCreateToken(dataDir);
    assert.notEqual(second, first, 'a token that may have leaked is not kept');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(loadOrCreateToken(dataDir), second, 'the new one is then reused');
  });

  it('is replaced when the file holds no well-formed token', () => {
    const dataDir = mkdir(join(h.dir.path, 'garbled'));
    writeFileSync(join(dataDir, TOKEN_FILE), 'not a token\n', { mode: 0o600 });
    assert.match(loadOrCreateToken(dataDir), /^[0-9a-f]{64}$/);
  });
});

describe('server.json', () => {
  it('records pid and address (never the token) while the server runs, removed on close', async () => {
    const dataDir = mkdir(join(h.dir.path, 'record'));
    const server = await startRpcServer({ host: h.host, dataDir, port: 0, staticDir: null });
    const path = join(dataDir, SERVER_INFO_FILE);
    try {
      assert.deepEqual(readServerInfoSync(dataDir), {
        pid: process.pid,
        port: server.port,
        url: `http://127.0.0.1:${server.port}/`,
      });
      assert.ok(!readFileSync(path, 'utf8').includes(new URL(server.url).hash.slice(7)));
    } finally {
      await server.close();
    }
    assert.equal(existsSync(path), false);
  });
});

describe('WebSocket upgrade', () => {
  it('refuses a missing token with 401 and reveals nothing', async () => {
    const refused = await refusedStatus(h, { protocols: [RPC_PROTOCOL] });
    assert.equal(refused.status, 401);
    assertRevealsNothing(refused.body);
  });

  it('refuses no subprotocol at all with 401', async () => {
    const refused = await refusedStatus(h, { protocols: [] });
    assert.equal(refused.status, 401);
  });

  it('refuses a wrong token with 401, whatever its length', async () => {
    for (const wrong of ['0'.repeat(64), h.token.slice(0, 63), `${h.token}0`, 'x']) {
      const refused = await refusedStatus(h, { protocols: rpcProtocols(wrong) });
      assert.equal(refused.status, 401, `token of length ${wrong.length}`);
      assertRevealsNothing(refused.body);
    }
  });

  it('accepts the right token, answers with ferry.v1 only, and runs commands', async () => {
    const client = await connectRaw(h);
    try {
      assert.equal(client.ws.protocol, RPC_PROTOCOL);
      const info = await client.invoke('engine.info', {});
      assert.ok(info.ok);
      assert.equal((info.value as { host: string }).host, 'server');
    } finally {
      client.close();
    }
  });

  it('refuses the right token without the ferry.v1 protocol with 400', async () => {
    const refused = await refusedStatus(h, {
      protocols: [`${RPC_TOKEN_PROTOCOL_PREFIX}${h.token}`, 'ferry.v0'],
    });
    assert.equal(refused.status, 400);
  });

  it('answers 404 to an upgrade on any other path', async () => {
    const refused = await refusedStatus(h, { path: '/rpc2' });
    assert.equal(refused.status, 404);
  });
});

describe('Host and Origin', () => {
  it('refuses a cross-origin upgrade with 403, even with the right token', async () => {
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${h.port}`,
      `https://127.0.0.1:${h.port}`,
      `http://127.0.0.1:${h.port + 1}`,
      'null',
    ]) {
      const refused = await refusedStatus(h, { origin });
      assert.equal(refused.status, 403, origin);
      assertRevealsNothing(refused.body);
    }
  });

  it("accepts the server's own origins and no origin (CLI)", async () => {
    for (const origin of [`http://127.0.0.1:${h.port}`, `http://localhost:${h.port}`, undefined]) {
      const client = await connectRaw(h, origin === undefined ? {} : { origin });
      assert.equal((await client.invoke('engine.info', {})).ok, true, String(origin));
      client.close();
    }
  });

  it('refuses an unexpected Host header with 403 (DNS rebinding)', async () => {
    for (const host of [`evil.example:${h.port}`, '127.0.0.1', `127.0.0.1:${h.port + 1}`]) {
      const refused = await refusedStatus(h, { headers: { host } });
      assert.equal(refused.status, 403, host);
    }
  });

  // Guards against: two Host headers with the token accepted (Node keeps the first one; RFC
  // 9112 section 3.2 says a request with more than one Host gets 400).
  it('answers 400 to a request or an upgrade with two Host headers', async () => {
    const good = `127.0.0.1:${String(h.port)}`;
    const upgrade = [
      `GET /rpc HTTP/1.1`,
      `Host: ${good}`,
      `Host: evil.example:${String(h.port)}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      `Sec-WebSocket-Protocol: ${rpcProtocols(h.token).join(', ')}`,
    ];
    const plain = ['GET / HTTP/1.1', `Host: ${good}`, `Host: ${good}`, 'Connection: close'];
    for (const lines of [upgrade, plain]) {
      const answer = await rawExchange(h.port, `${lines.join('\r\n')}\r\n\r\n`);
      assert.match(answer.split('\r\n')[0] ?? '', /^HTTP\/1\.1 400 /, answer);
      assertRevealsNothing(answer);
    }
  });

  it('accepts localhost and 127.0.0.1 with the right port', async () => {
    for (const host of [`localhost:${h.port}`, `LOCALHOST:${h.port}`, `127.0.0.1:${h.port}`]) {
      const client = await connectRaw(h, { headers: { host } });
      assert.equal((await client.invoke('engine.info', {})).ok, true, host);
      client.close();
    }
  });

  it('refuses to listen on a non-loopback address', async () => {
    await assert.rejects(
      startRpcServer({ host: h.host, dataDir: h.dataDir, port: 0, listenHost: '0.0.0.0' }),
      /loopback only/,
    );
  });
});

function mkdir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}
