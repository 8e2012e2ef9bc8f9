import type { CommandInput, CommandName, FerryClient } from '../../app/contract.js';
import type { FerryErrorShape } from '../../app/errors.js';
import { fromErrorShape } from '../../app/errors.js';
import { RPC_PATH } from '../../app/wire.js';
import { createWebSocketClient } from '../../app/ws-client.js';
import { openBrowserSocket } from './browser-socket.js';
import { takeToken } from './token.js';

declare global {
  interface Window {
    /** The desktop shell's preload object; absent in a browser served by `ferry serve`. */
    readonly ferry?: FerryClient;
  }
}

/**
 * The one client the UI talks to: the desktop preload's `window.ferry` when present, else a
 * WebSocket client to the host that served this page, with the token from `#token=…` (which
 * is then dropped from the address bar; see token.ts).
 *
 * The UI never learns which one it got.
 */
export function connectClient(): FerryClient {
  if (window.ferry !== undefined) return withFerryErrors(window.ferry);
  const token = takeToken(window.location, sessionStorageOrNull(), (url) => {
    window.history.replaceState(window.history.state, '', url);
  });
  return createWebSocketClient({
    url: `ws://${window.location.host}${RPC_PATH}`,
    token,
    open: openBrowserSocket,
  });
}

/** The tab's session storage; null where the browser refuses access to it. */
function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The preload's client with its rejections turned back into FerryErrors.
 *
 * Electron's contextBridge keeps only the message of a thrown Error, so the preload rejects
 * with the error's plain shape instead; this restores the class (and `instanceof`).
 */
function withFerryErrors(client: FerryClient): FerryClient {
  return {
    invoke: <C extends CommandName>(command: C, input: CommandInput<C>) =>
      client.invoke(command, input).catch((error: unknown): never => {
        throw isErrorShape(error) ? fromErrorShape(error) : error;
      }),
    on: (event, listener) => client.on(event, listener),
    onConnection: (listener) => client.onConnection(listener),
  };
}

function isErrorShape(value: unknown): value is FerryErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { context?: unknown }).context === 'string'
  );
}
