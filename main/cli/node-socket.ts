import WebSocket from 'ws';
import type { OpenRpcSocket } from '../../app/ws-client.js';
import { UNAUTHORIZED_CLOSE_CODE } from '../../app/ws-client.js';
import { RPC_MAX_MESSAGE_BYTES } from '../../app/wire.js';

/** How long the WebSocket handshake may take before the host counts as unreachable. */
const HANDSHAKE_TIMEOUT_MS = 5_000;

/**
 * The `ws` package's WebSocket as the contract client's socket, for Node.
 *
 * Unlike a browser, `ws` shows the HTTP answer to a refused upgrade: a 401 is reported as
 * UNAUTHORIZED_CLOSE_CODE so the client says "token refused" rather than "unreachable".
 * `onClose` is called exactly once, whichever way the socket ends.
 */
export const openNodeSocket: OpenRpcSocket = (url, protocols, handlers) => {
  const socket = new WebSocket(url, protocols, {
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    maxPayload: 4 * RPC_MAX_MESSAGE_BYTES,
  });
  let closed = false;
  const close = (code: number, reason: string): void => {
    if (closed) return;
    closed = true;
    handlers.onClose(code, reason);
  };
  socket.on('open', () => {
    handlers.onOpen();
  });
  socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    if (isBinary) return;
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    handlers.onMessage(bytes.toString('utf8'));
  });
  socket.on('unexpected-response', (request, response) => {
    // With a listener here, ws leaves the failed upgrade to us: drop it and report why.
    const refused = response.statusCode === 401 || response.statusCode === 403;
    request.destroy();
    close(refused ? UNAUTHORIZED_CLOSE_CODE : 1006, `HTTP ${String(response.statusCode)}`);
  });
  // Errors (refused connection, handshake timeout) are followed by 'close'; the client only
  // needs the close, so the error is consumed here to keep it from crashing the process.
  socket.on('error', () => undefined);
  socket.on('close', (code, reason) => {
    close(code, reason.toString('utf8'));
  });
  return {
    send(text) {
      socket.send(text);
    },
    close(code, reason) {
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(code, reason);
    },
  };
};
