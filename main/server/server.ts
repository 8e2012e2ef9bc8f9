import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { FerryError } from '../../app/index.js';
import { contentSecurityPolicy } from '../../app/csp.js';
import { RPC_CLOSE_CODES, RPC_MAX_MESSAGE_BYTES, RPC_PATH, RPC_PROTOCOL } from '../../app/wire.js';
import type { EngineHost } from '../host/index.js';
import { serveFileLink } from './file-route.js';
import { loadOrCreateToken, offeredProtocols, offersWireProtocol, presentsToken } from './auth.js';
import { hasSingleHost, isAllowedHost, isAllowedOrigin } from './request-guard.js';
import { removeServerInfoSync, writeServerInfoSync } from './server-info.js';
import { DEFAULT_RPC_LIMITS, serveConnection } from './rpc.js';
import type { RpcConnection, RpcConnectionLimits } from './rpc.js';
import { DEFAULT_STATIC_DIR, createStaticHandler, securityHeaders, sendText } from './static.js';

/** Options of `startRpcServer`. */
export interface RpcServerOptions {
  /** The engine's host; the server never closes it. */
  readonly host: EngineHost;
  /** Where the access token lives (`<dataDir>/rpc-token`). */
  readonly dataDir: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Built renderer to serve; default `dist/renderer` of the repository; null serves none. */
  readonly staticDir?: string | null;
  /** Loopback address to listen on (default 127.0.0.1); other addresses are refused. */
  readonly listenHost?: string;
  /** Interval of heartbeat pings; a client silent for two intervals is dropped (default 15 s). */
  readonly heartbeatMs?: number;
  /** Per-connection limits (default `DEFAULT_RPC_LIMITS`). */
  readonly limits?: Partial<RpcConnectionLimits>;
  /** Where unexpected failures are reported (default: nowhere). */
  readonly onWarning?: (message: string, cause?: unknown) => void;
}

/** A listening server. */
export interface RpcServer {
  /** The UI's address with the token in its fragment: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string;
  /** The same address without the token (safe to log or store). */
  readonly baseUrl: string;
  readonly port: number;
  /**
   * Stops accepting, tells every client the host is shutting down (close 1001) and waits
   * briefly for them to go. Leaves the host and the engine to their owner.
   */
  close(): Promise<void>;
}

/** Addresses the server may listen on: loopback only, so no other machine can reach it. */
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', 'localhost']);
/** Default heartbeat interval. */
const DEFAULT_HEARTBEAT_MS = 15_000;
/** How long `close` waits for clients to answer the close handshake before cutting them. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Starts the headless server: the built renderer over HTTP and the contract over an
 * authenticated WebSocket at RPC_PATH, both on 127.0.0.1 only.
 *
 * Every request must name the server by a loopback Host (DNS rebinding). A WebSocket upgrade
 * must also come from no Origin or the server's own, present the token as the
 * `ferry-token.<hex>` subprotocol (401 otherwise, with nothing about jobs in the answer) and
 * offer `ferry.v1`, which is the only protocol the server ever answers with.
 *
 * While it runs, `<dataDir>/server.json` records its pid and address (never the token) so the
 * CLI can find it, whichever shell started it.
 */
export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const listenHost = options.listenHost ?? '127.0.0.1';
  if (!LOOPBACK_ADDRESSES.has(listenHost)) {
    throw new FerryError(
      'INPUT_INVALID',
      'NONE',
      `The server listens on loopback only (127.0.0.1, ::1, localhost), not '${listenHost}'`,
    );
  }
  const token = loadOrCreateToken(options.dataDir);
  const limits = { ...DEFAULT_RPC_LIMITS, ...options.limits };
  const onWarning = options.onWarning ?? (() => undefined);
  const staticDir = options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir;

  const http = createServer();
  const port = await listen(http, options.port, listenHost);
  const urlHost = listenHost === '::1' ? '[::1]' : listenHost;
  const csp = contentSecurityPolicy({ kind: 'server', webSocketOrigin: `ws://${urlHost}:${port}` });
  const serveStatic = createStaticHandler(staticDir, csp);
  const connections = new Map<WebSocket, RpcConnection>();
  let stopping = false;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: RPC_MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
    // Only reached after the token check; never answers with the token protocol.
    handleProtocols: () => RPC_PROTOCOL,
  });

  http.on('request', (request, response) => {
    if (!hasSingleHost(request)) {
      sendText(response, 400, 'Bad request: exactly one Host header is required\n', csp);
      return;
    }
    if (!isAllowedHost(request, port)) {
      sendText(response, 403, 'Forbidden: unexpected Host header\n', csp);
      return;
    }
    serveFileLink(options.host, request, response, csp)
      .then((served) => (served ? undefined : serveStatic(request, response)))
      .catch((error: unknown) => {
        onWarning(`could not serve ${request.url ?? ''}`, error);
        if (!response.headersSent) sendText(response, 500, 'Internal error\n', csp);
        else response.destroy();
      });
  });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const refusal = refuseUpgrade(request, port, token, stopping);
    if (refusal !== null) {
      rejectUpgrade(socket, refusal.status, refusal.text, securityHeaders(csp));
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (stopping) {
        ws.close(RPC_CLOSE_CODES.shutdown, 'Ferry is shutting down');
        return;
      }
      // A browser page always sends its Origin; the CLI and native tools send none.
      const kind = request.headers.origin === undefined ? 'script' : 'window';
      connections.set(ws, serveConnection(ws, options.host, limits, onWarning, kind));
      ws.on('close', () => connections.delete(ws));
    });
  });

  const heartbeat = setInterval(() => {
    for (const [ws, connection] of connections) {
      if (!connection.checkAlive()) {
        ws.terminate();
        continue;
      }
      ws.ping();
    }
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  const baseUrl = `http://${urlHost}:${port}/`;
  try {
    writeServerInfoSync(options.dataDir, { pid: process.pid, port, url: baseUrl });
  } catch (error) {
    clearInterval(heartbeat);
    http.close();
    throw error;
  }
  let closed: Promise<void> | null = null;
  return {
    url: `${baseUrl}#token=${token}`,
    baseUrl,
    port,
    close() {
      closed ??= (async () => {
        stopping = true;
        clearInterval(heartbeat);
        const stoppedListening = new Promise<void>((resolve) => {
          http.close(() => {
            resolve();
          });
        });
        http.closeIdleConnections();
        const gone = [...connections.keys()].map(
          (ws) =>
            new Promise<void>((resolve) =>
              ws.once('close', () => {
                resolve();
              }),
            ),
        );
        const shutdownError = new FerryError(
          'RPC_DISCONNECTED',
          'GENERAL_QUEUE_MANAGER',
          'Ferry is shutting down',
        );
        for (const connection of connections.values()) {
          connection.shutdown(RPC_CLOSE_CODES.shutdown, shutdownError);
        }
        const grace = setTimeout(() => {
          for (const ws of connections.keys()) ws.terminate();
          http.closeAllConnections();
        }, CLOSE_GRACE_MS);
        await Promise.all(gone);
        http.closeAllConnections();
        await stoppedListening;
        clearTimeout(grace);
        wss.close();
        removeServerInfoSync(options.dataDir, port);
      })();
      return closed;
    },
  };
}

interface Refusal {
  readonly status: number;
  readonly text: string;
}

/** Why an upgrade is refused, or null to accept it. Checks never reveal anything about jobs. */
function refuseUpgrade(
  request: IncomingMessage,
  port: number,
  token: string,
  stopping: boolean,
): Refusal | null {
  const path = (request.url ?? '').split('?')[0];
  if (!hasSingleHost(request)) {
    return { status: 400, text: 'Bad request: exactly one Host header is required' };
  }
  if (path !== RPC_PATH) return { status: 404, text: 'Not found' };
  if (!isAllowedHost(request, port))
    return { status: 403, text: 'Forbidden: unexpected Host header' };
  if (!isAllowedOrigin(request, port))
    return { status: 403, text: 'Forbidden: cross-origin WebSocket' };
  const protocols = offeredProtocols(request.headers['sec-websocket-protocol']);
  if (!presentsToken(protocols, token)) {
    return { status: 401, text: 'Unauthorized: a valid access token is required' };
  }
  if (!offersWireProtocol(protocols)) {
    return { status: 400, text: `Bad request: the client must offer subprotocol ${RPC_PROTOCOL}` };
  }
  if (stopping) return { status: 503, text: 'Ferry is shutting down' };
  return null;
}

/** Answers a refused upgrade with a plain HTTP response and drops the connection. */
function rejectUpgrade(
  socket: Duplex,
  status: number,
  text: string,
  headers: Record<string, unknown>,
): void {
  const body = `${text}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${String(value)}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

/** Listens on `host:port` and resolves with the bound port; EADDRINUSE and the like reject. */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new FerryError(
          'NET_FAILURE',
          'NONE',
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use; choose another with --port (0 picks a free one)`
            : `Cannot listen on ${host}:${port}: ${error.message}`,
          { cause: error, ...(error.code === undefined ? {} : { sysCode: error.code }) },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
