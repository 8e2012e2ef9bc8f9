// Regression: a job that trusts a self-signed server by its fingerprint failed at random with
// NET_TLS_FAILURE (and no fingerprint in the message) when a connection resumed an earlier TLS
// session, as an undici Client does when it reconnects: a resumed session shows no peer
// certificate, so the pin could not be checked.
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { createConnector } from '../../../../../main/engine/transfer/http/connector.js';
import { makeTestCa } from '../../../../support/test-ca.js';
import type { TestCa } from '../../../../support/test-ca.js';
import { startTlsServer } from '../../../../support/tls-server.js';
import type { TlsTestServer } from '../../../../support/tls-server.js';

let ca: TestCa;
let server: TlsTestServer;

before(async () => {
  ca = makeTestCa();
  server = await startTlsServer({ ...ca.selfSigned, protocol: 'http/1.1' });
  server.setFile('/file.bin', Buffer.from('pinned'));
});

after(async () => {
  await server.close();
  ca.cleanup();
});

type Connect = ReturnType<typeof createConnector>;

function connectOnce(connect: Connect): Promise<TLSSocket> {
  const { hostname, port, host } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    connect({ protocol: 'https:', hostname, host, port }, (error, socket) => {
      if (error !== null) reject(error);
      else resolve(socket as TLSSocket);
    });
  });
}

/** One request to its end, so the server's session ticket has reached the client. */
async function fetchOver(socket: TLSSocket): Promise<string> {
  socket.setEncoding('utf8');
  let text = '';
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  const ended = new Promise<void>((resolve) => socket.once('end', resolve));
  socket.write('GET /file.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  await ended;
  socket.destroy();
  return text;
}

describe('createConnector', () => {
  it('trusts a pinned certificate on every connection, a reconnection too', async () => {
    const connect = createConnector({
      timeoutMs: 2000,
      allowH2: false,
      trust: { extraCa: () => null, pinned: [ca.selfSigned.fingerprint] },
    });
    for (let i = 0; i < 3; i++) {
      const body = await fetchOver(await connectOnce(connect));
      assert.match(body, /pinned$/, `connection ${String(i + 1)}`);
    }
  });
});
