// Test support for the headless server: an engine, its host and the server in this process on
// 127.0.0.1:0 with a temporary data directory, and WebSocket clients (raw `ws`, or the
// contract's reconnecting client) to talk to it.
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Envelope, EventName } from '../../app/index.js';
import { RPC_PATH, rpcProtocols } from '../../app/wire.js';
import type { ServerMessage } from '../../app/wire.js';
import { UNAUTHORIZED_CLOSE_CODE, createWebSocketClient } from '../../app/ws-client.js';
import type { OpenRpcSocket, WebSocketClient } from '../../app/ws-client.js';
import { createEngine } from '../../main/engine/index.js';
import type { Engine, EngineOptions } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { startRpcServer } from '../../main/server/index.js';
import type { RpcServer, RpcServerOptions } from '../../main/server/index.js';
import { withTimeout } from '../support/child-process.js';
import { makeTempDir, testEngineOptions } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

/** Upper bound on every wait in these tests, so a hang fails instead of blocking CI. */
export const WAIT_MS = 10_000;

/** A server with its engine on a fresh data directory. */
export interface Harness {
  readonly dir: TempDir;
  readonly dataDir: string;
  readonly engine: Engine;
  readonly host: EngineHost;
  readonly server: RpcServer;
  readonly port: number;
  readonly token: string;
  /** `ws://127.0.0.1:PORT/rpc`. */
  readonly rpcUrl: string;
  close(): Promise<void>;
}

/** Starts engine, host and server; `server` options override the defaults (no static UI). */
export async function startHarness(
  server: Partial<Omit<RpcServerOptions, 'host' | 'dataDir'>> = {},
  engineOptions: EngineOptions = {},
): Promise<Harness> {
  const dir = makeTempDir('ferry-server-');
  const dataDir = join(dir.path, 'data');
  const engine = createEngine(testEngineOptions(dataDir, engineOptions));
  const host = createEngineHost({ engine, host: 'server', version: 'test', batchIntervalMs: 50 });
  const rpc = await startRpcServer({ host, dataDir, port: 0, staticDir: null, ...server });
  const token = new URL(rpc.url).hash.replace(/^#token=/, '');
  let closed = false;
  return {
    dir,
    dataDir,
    engine,
    host,
    server: rpc,
    port: rpc.port,
    token,
    rpcUrl: `ws://127.0.0.1:${rpc.port}${RPC_PATH}`,
    async close() {
      if (closed) return;
      closed = true;
      await rpc.close();
      host.close();
      await engine.close();
      dir.cleanup();
    },
  };
}

/** How a raw client's connection ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** A `ws` client speaking the wire format by hand, recording every server message. */
export interface RawClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[];
  /** Sends one invoke and resolves with its result envelope. */
  invoke(command: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(events: readonly EventName[]): void;
  /** Resolves with the first message (past or future) for which `predicate` holds. */
  waitFor(predicate: (message: ServerMessage) => boolean, what: string): Promise<ServerMessage>;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<CloseInfo>;
  close(): void;
}

/** Resolves when the client's socket has closed; fails after WAIT_MS. */
export function waitClosed(client: RawClient): Promise<CloseInfo> {
  return withTimeout(client.closed, WAIT_MS, 'the WebSocket to close');
}

/** Options of a raw connection attempt. */
export interface ConnectOptions {
  /** Subprotocols to offer (default: the wire protocol and the right token). */
  readonly protocols?: readonly string[];
  readonly origin?: string;
  readonly headers?: Record<string, string>;
  readonly path?: string;
}

/** Opens a raw client; rejects with the HTTP status when the upgrade is refused. */
export function connectRaw(h: Harness, options: ConnectOptions = {}): Promise<RawClient> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${h.port}${options.path ?? RPC_PATH}`,
    [...(options.protocols ?? rpcProtocols(h.token))],
    {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      perMessageDeflate: false,
    },
  );
  const messages: ServerMessage[] = [];
  const watchers = new Set<() => void>();
  let nextId = 1;
  const closed = new Promise<CloseInfo>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
    });
  });
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
    for (const watcher of [...watchers]) watcher();
  });
  const waitFor = (
    predicate: (message: ServerMessage) => boolean,
    what: string,
  ): Promise<ServerMessage> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = messages.find(predicate);
        if (found === undefined) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(
          new Error(`Timed out waiting for ${what}; got ${JSON.stringify(messages.slice(-3))}`),
        );
      }, WAIT_MS);
      watchers.add(check);
      check();
    });
  const client: RawClient = {
    ws,
    messages,
    async invoke(command, input) {
      const id = nextId++;
      ws.send(JSON.stringify({ type: 'invoke', id, command, input }));
      const result = await waitFor((m) => m.type === 'result' && m.id === id, `result ${id}`);
      if (result.type !== 'result') throw new Error('unreachable');
      return result.result;
    },
    subscribe(events) {
      ws.send(JSON.stringify({ type: 'subscribe', events }));
    },
    waitFor,
    closed,
    close() {
      ws.close();
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      resolve(client);
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        reject(new UpgradeRefused(res.statusCode ?? 0, body, res.headers));
      });
    });
    ws.once('error', reject);
  });
}

/** An upgrade the server answered with an HTTP status instead of 101. */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: IncomingHttpHeaders,
  ) {
    super(`upgrade refused with HTTP ${status}: ${body.trim()}`);
  }
}

/** The status with which the server refuses an upgrade (fails if it accepts it). */
export async function refusedStatus(h: Harness, options: ConnectOptions): Promise<UpgradeRefused> {
  try {
    const client = await connectRaw(h, options);
    client.close();
  } catch (error) {
    if (error instanceof UpgradeRefused) return error;
    throw error;
  }
  throw new Error('the server accepted an upgrade it should have refused');
}

/** Opens `ws` sockets for the contract's WebSocket client; `sockets` keeps every one opened. */
export function nodeSocketOpener(sockets: WebSocket[] = []): OpenRpcSocket {
  return (url, protocols, handlers) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
    sockets.push(ws);
    let reported = false;
    const closeOnce = (code: number, reason: string): void => {
      if (reported) return;
      reported = true;
      handlers.onClose(code, reason);
    };
    ws.on('open', () => {
      handlers.onOpen();
    });
    ws.on('message', (data: Buffer) => {
      handlers.onMessage(data.toString('utf8'));
    });
    ws.on('unexpected-response', (req, res) => {
      req.destroy();
      closeOnce(res.statusCode === 401 ? UNAUTHORIZED_CLOSE_CODE : 1006, '');
    });
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      closeOnce(code, reason.toString());
    });
    return {
      send: (text) => {
        ws.send(text);
      },
      close: (code, reason) => {
        ws.close(code, reason);
      },
    };
  };
}

/** The contract's reconnecting client against `url` with `token`. */
export function contractClient(
  url: string,
  token: string,
  sockets: WebSocket[] = [],
  reconnect = true,
): WebSocketClient {
  return createWebSocketClient({
    url,
    token,
    open: nodeSocketOpener(sockets),
    reconnect,
    reconnectDelayMs: 20,
    maxReconnectDelayMs: 200,
  });
}

/** A plain HTTP response from the server. */
export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Sends one HTTP request with a path sent verbatim (no URL normalisation, unlike fetch). */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
        timeout: WAIT_MS,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`HTTP ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The host seen through a watch on its client links: `nextClose()` resolves when the server
 * lets go of one (it closed or dropped a client), so a test waits for that event instead of
 * sleeping until it must have happened.
 */
export function watchLinks(host: EngineHost): { host: EngineHost; nextClose(): Promise<void> } {
  const waiting: (() => void)[] = [];
  const watched = new Proxy(host, {
    get(target, property) {
      if (property !== 'connect') return Reflect.get(target, property) as unknown;
      const connect: EngineHost['connect'] = (send, kind) => {
        const link = target.connect(send, kind);
        let closed = false;
        return new Proxy(link, {
          get(inner, name) {
            if (name !== 'close') return Reflect.get(inner, name) as unknown;
            return () => {
              inner.close();
              if (closed) return;
              closed = true;
              for (const resolve of waiting.splice(0)) resolve();
            };
          },
        });
      };
      return connect;
    },
  });
  return {
    host: watched,
    nextClose: () =>
      withTimeout(
        new Promise<void>((resolve) => waiting.push(resolve)),
        WAIT_MS,
        'the server to let go of a client',
      ),
  };
}
