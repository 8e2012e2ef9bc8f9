import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { establishedTo } from '../../support/tcp-table.js';
import { listenOnLoopback } from '../../support/loopback-listen.js';

describe('establishedTo (the kernel view of a port, for politeness assertions)', () => {
  it('counts connections to the port, and stops counting one as soon as its client closes it', async (t) => {
    if (establishedTo(1) === null) {
      t.skip('no /proc/net/tcp on this platform');
      return;
    }
    const accepted: Socket[] = [];
    const server = createServer();
    server.on('connection', (socket) => accepted.push(socket));
    const port = await listenOnLoopback(server);
    try {
      const clients = await Promise.all(
        [1, 2, 3].map(async () => {
          const socket = connect(port, '127.0.0.1');
          await once(socket, 'connect');
          return socket;
        }),
      );
      assert.equal(establishedTo(port), 3);
      const [first] = clients;
      first?.destroy();
      // The client's close reaches the kernel's table at once; the server process may not
      // have read it yet.
      assert.equal(establishedTo(port), 2);
      for (const client of clients) client.destroy();
    } finally {
      for (const socket of accepted) socket.destroy();
      server.close();
    }
  });
});
