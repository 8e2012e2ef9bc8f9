import type { FerryClient } from '../../app/contract.js';
import { RPC_PATH } from '../../app/wire.js';
import { createWebSocketClient } from '../../app/ws-client.js';
import { openBrowserSocket } from './browser-socket.js';

declare global {
  interface Window {
    /** The desktop shell's preload object; absent in a browser served by `ferry serve`. */
    readonly ferry?: FerryClient;
  }
}

/**
 * The one client the UI talks to: the desktop preload's `window.ferry` when present, else a
 * WebSocket client to the host that served this page, with the token from `#token=…`.
 *
 * The UI never learns which one it got.
 */
export function connectClient(): FerryClient {
  if (window.ferry !== undefined) return window.ferry;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  return createWebSocketClient({
    url: `ws://${window.location.host}${RPC_PATH}`,
    token,
    open: openBrowserSocket,
  });
}
