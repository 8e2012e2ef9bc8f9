import type { EngineHostInfo } from '../../app/index.js';
import { FerryError, hasErrorCode } from '../../app/index.js';
import { RPC_PATH } from '../../app/wire.js';
import type { WebSocketClient } from '../../app/ws-client.js';
import { createWebSocketClient } from '../../app/ws-client.js';
import { startBackgroundServer } from './background-server.js';
import { openNodeSocket } from './node-socket.js';
import type { ServerRecord } from './server-record.js';
import { isProcessAlive, readServerRecord, readToken } from './server-record.js';

/** How the CLI finds its server. */
export interface ConnectOptions {
  readonly dataDir: string;
  /** Start `ferry serve` in the background when no server runs (default behaviour). */
  readonly autoStart: boolean;
  /** Port for a server started here; undefined lets it use its setting. */
  readonly port: number | undefined;
}

/** An open link to the server of a data directory. */
export interface Connection {
  readonly client: WebSocketClient;
  readonly server: ServerRecord;
  readonly info: EngineHostInfo;
  close(): void;
}

/**
 * Connects to the server of a data directory, starting one in the background if none runs.
 *
 * The server is found through `<dataDir>/server.json` (its pid and port) and
 * `<dataDir>/rpc-token`. A record whose pid is dead is stale and treated as "no server". A
 * live pid that does not answer is reported as unreachable rather than replaced: that process
 * may still hold the engine's lock, and a second engine would be refused anyway.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  let record = readServerRecord(options.dataDir);
  if (record === null || !isProcessAlive(record.pid)) {
    if (!options.autoStart) {
      throw new FerryError(
        'RPC_UNREACHABLE',
        'GENERAL_QUEUE_MANAGER',
        `No Ferry server runs for ${options.dataDir} (start one with 'ferry serve')`,
      );
    }
    record = await startBackgroundServer(options.dataDir, options.port);
  }
  return open(options.dataDir, record);
}

/** Opens the WebSocket and checks it with `engine.info`, failing fast (no reconnects). */
async function open(dataDir: string, server: ServerRecord): Promise<Connection> {
  const token = readToken(dataDir);
  const client = createWebSocketClient({
    url: `ws://127.0.0.1:${String(server.port)}${RPC_PATH}`,
    token,
    open: openNodeSocket,
    reconnect: false,
  });
  try {
    const info = await client.invoke('engine.info', {});
    return {
      client,
      server,
      info,
      close: () => {
        client.close();
      },
    };
  } catch (error) {
    client.close();
    if (hasErrorCode(error, 'RPC_UNREACHABLE') || hasErrorCode(error, 'RPC_DISCONNECTED')) {
      throw new FerryError(
        'RPC_UNREACHABLE',
        'GENERAL_QUEUE_MANAGER',
        `The Ferry server for ${dataDir} (pid ${String(server.pid)}) does not answer on 127.0.0.1:${String(server.port)}`,
        { cause: error },
      );
    }
    throw error;
  }
}
