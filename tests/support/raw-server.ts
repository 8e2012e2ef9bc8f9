import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A TCP server on 127.0.0.1 that answers every request with bytes a test writes itself: for
 * answers Node's HTTP server refuses to send (a control byte in a header, a broken status
 * line), or that must break HTTP's framing on purpose.
 */
export interface RawServer {
  /** `http://127.0.0.1:<port>` followed by `path`. */
  url(path: string): string;
  /** Requests received (their head only), in arrival order. */
  readonly requests: readonly string[];
  /** Stop listening and destroy every open connection. */
  close(): Promise<void>;
}

/**
 * Starts a raw server; `answer` is called with the socket once per request head received
 * (keep-alive included) and writes what it likes, ending the socket or not.
 */
export async function startRawServer(
  answer: (socket: Socket, head: string, ordinal: number) => void,
): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        requests.push(head);
        answer(socket, head, requests.length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${String(port)}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
