import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Makes a test server answer malformed requests as Node's default would, then listens on an
 * ephemeral port of 127.0.0.1 and returns it.
 *
 * Tests only ever listen on loopback, so nothing they start is reachable from elsewhere.
 */
export async function listenOnLoopback(server: Server): Promise<number> {
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A reset peer just goes away; anything else gets a 400 and the connection closes.
    if (error.code === 'ECONNRESET' || !socket.writable) socket.destroy();
    else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
