import type { OpenRpcSocket } from '../../app/ws-client.js';
import { UNAUTHORIZED_CLOSE_CODE } from '../../app/ws-client.js';

/**
 * The browser's WebSocket as the contract client's socket.
 *
 * A browser hides why an upgrade failed; a close before the first open with code 1006 is the
 * closest it tells, so only a close the host sends with 4401 counts as a refused token.
 */
export const openBrowserSocket: OpenRpcSocket = (url, protocols, handlers) => {
  const socket = new WebSocket(url, protocols);
  socket.addEventListener('open', () => {
    handlers.onOpen();
  });
  socket.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  });
  socket.addEventListener('close', (event) => {
    handlers.onClose(
      event.code === UNAUTHORIZED_CLOSE_CODE ? UNAUTHORIZED_CLOSE_CODE : event.code,
      event.reason,
    );
  });
  return socket;
};
