import type { WebSocket } from 'ws';
import type { FerryErrorCode } from '../../app/index.js';
import { FerryError, isEventName, toErrorShape } from '../../app/index.js';
import type { EventName } from '../../app/index.js';
import { RPC_CLOSE_CODES, clientMessageSchema } from '../../app/wire.js';
import type { ClientMessage, ServerMessage } from '../../app/wire.js';
import type { ClientKind, EngineHost } from '../host/index.js';
import { messageText } from './message-text.js';

/**
 * One WebSocket client of the server: the contract's commands and events over the wire
 * format of `app/wire.ts`.
 *
 * Every frame must be a text frame holding one JSON client message. Anything else (binary,
 * not JSON, not a message, a subscribe naming an event the contract does not have) gets a
 * `closing` message naming the problem and a close with 1002; the client is gone but nothing
 * else is touched. A subscribe with an unknown event closes rather than being ignored because
 * the subprotocol `ferry.v1` fixes the event list: a client naming another event speaks another
 * version, and silently missing events would leave its view wrong.
 */

/**
 * Limits of one connection; the defaults suit a UI or the CLI on the same machine.
 *
 * One client cannot exhaust the server: its commands start one per turn of the event loop
 * (other clients are served in between), a command starts only once the previous result has
 * been handed to the socket, and a client with more than `maxBufferedBytes` waiting unread is
 * closed with 1013 and a reason. So the server holds, per client, at most the bound plus one
 * result, instead of every result it was asked for.
 */
export interface RpcConnectionLimits {
  /** Bytes waiting unread beyond which a client is closed with 1013 (default 16 MiB). */
  readonly maxBufferedBytes: number;
  /** Commands one client may have waiting or running at once (default 256). */
  readonly maxInFlight: number;
  /**
   * Commands of one client running at once (default 4): enough to overlap a slow one (a
   * download plan waiting on servers) with quick ones, few enough that a burst of listings
   * is never built all at once.
   */
  readonly maxRunning: number;
  /**
   * How long a closed client has to read what is queued and the close frame before its
   * connection is cut (default 10 s): a client that stopped reading never gets there.
   */
  readonly closeGraceMs: number;
}

/** Default limits of a connection. */
export const DEFAULT_RPC_LIMITS: RpcConnectionLimits = {
  maxBufferedBytes: 16 * 1024 * 1024,
  maxInFlight: 256,
  maxRunning: 4,
  closeGraceMs: 10_000,
};

/**
 * Commands that read every job: one client runs one of them at a time, since each holds
 * thousands of job objects until its result is sent.
 */
const BULK_READS: ReadonlySet<string> = new Set(['jobs.enum', 'jobs.snapshot', 'jobs.history']);

/**
 * Close code for a client that cannot keep up (its send buffer passed the bound) or floods
 * the server with commands: 1013 "try again later", so a client reconnects and re-syncs
 * from a snapshot instead of the server buffering without limit.
 */
export const RPC_CLOSE_OVERLOADED = 1013;

/** A connected client as the server tracks it. */
export interface RpcConnection {
  /** Sends `closing` with `error` and closes with `code` (no-op once closing). */
  shutdown(code: number, error: FerryError): void;
  /** Whether the peer answered the last heartbeat; resets the flag for the next one. */
  checkAlive(): boolean;
}

/** Serves one accepted WebSocket until it closes. */
export function serveConnection(
  socket: WebSocket,
  host: EngineHost,
  limits: RpcConnectionLimits = DEFAULT_RPC_LIMITS,
  onWarning: (message: string, cause?: unknown) => void = () => undefined,
  /** `window` for a browser page (it sent an Origin), `script` for the CLI and other tools. */
  kind: ClientKind = 'script',
): RpcConnection {
  let closing = false;
  let alive = true;
  /** Commands received and not started yet, in order. */
  const waiting: Extract<ClientMessage, { type: 'invoke' }>[] = [];
  let running = 0;
  /** A listing of every job is running: the next one waits for it (see BULK_READS). */
  let bulkRunning = false;
  /** Results being serialised: no command starts meanwhile, so unsent results cannot pile up. */
  let serialising = 0;
  let pumpQueued = false;

  /** Whether more than the bound waits unread: the client is closed then. */
  const overBound = (): boolean => {
    if (socket.bufferedAmount <= limits.maxBufferedBytes) return false;
    shutdown(
      RPC_CLOSE_OVERLOADED,
      rpcError(
        'RPC_DISCONNECTED',
        `Closed: more than ${formatMiB(limits.maxBufferedBytes)} waited unread; read results before sending more`,
      ),
    );
    return true;
  };

  const sendText = (text: string): void => {
    if (closing || socket.readyState !== socket.OPEN) return;
    if (overBound()) return;
    socket.send(text);
  };

  const send = (message: ServerMessage): void => {
    sendText(JSON.stringify(message));
  };

  const shutdown = (code: number, error: FerryError, announce = true): void => {
    if (closing) return;
    closing = true;
    waiting.length = 0;
    if (announce && socket.readyState === socket.OPEN) {
      socket.send(JSON.stringify({ type: 'closing', error: toErrorShape(error) }));
    }
    link.close();
    // A close reason is at most 123 bytes of UTF-8.
    socket.close(code, Buffer.from(error.message).subarray(0, 123).toString('utf8'));
    // A client that stopped reading never reads the close frame queued behind its data.
    const cut = setTimeout(() => {
      socket.terminate();
    }, limits.closeGraceMs);
    cut.unref();
    socket.once('close', () => {
      clearTimeout(cut);
    });
  };

  const schedulePump = (): void => {
    if (pumpQueued || closing) return;
    pumpQueued = true;
    setImmediate(pump);
  };

  /**
   * Starts the next waiting command: one per turn of the event loop, none while a result is
   * being serialised, none once more than the bound waits unread. A command that computes its
   * result at once (jobs.enum) has it serialising before the next turn, so the next command
   * waits; one that waits on the network (downloads.plan) lets the next ones start.
   */
  const pump = (): void => {
    pumpQueued = false;
    if (closing || serialising > 0 || running >= limits.maxRunning || overBound()) return;
    const next = waiting[0];
    if (next === undefined) return;
    const bulk = BULK_READS.has(next.command);
    // In order: a second listing waits for the first rather than being overtaken.
    if (bulk && bulkRunning) return;
    const message = next;
    waiting.shift();
    running++;
    if (bulk) bulkRunning = true;
    const { id } = message;
    host
      .invoke(message.command, message.input, link)
      .then(async (result) => {
        serialising++;
        try {
          const text = await messageText({ type: 'result', id, result });
          sendText(text);
        } finally {
          serialising--;
        }
      })
      .catch((error: unknown) => {
        // invoke never rejects by contract; a failure here is a serialisation bug.
        onWarning(`could not send the result of ${message.command}`, error);
        send({ type: 'result', id, result: { ok: false, error: toErrorShape(error) } });
      })
      .finally(() => {
        running--;
        if (bulk) bulkRunning = false;
        if (waiting.length > 0) schedulePump();
      });
    if (waiting.length > 0) schedulePump();
  };

  const link = host.connect((event, payload) => {
    send({ type: 'event', event, payload });
  }, kind);

  const handle = (message: ClientMessage): void => {
    if (message.type === 'subscribe') {
      const unknown = message.events.find((name) => !isEventName(name));
      if (unknown !== undefined) {
        protocolError(`Cannot subscribe to unknown event '${unknown}'`);
        return;
      }
      link.subscribe(message.events as EventName[]);
      return;
    }
    if (waiting.length + running >= limits.maxInFlight) {
      shutdown(
        RPC_CLOSE_OVERLOADED,
        rpcError('RPC_PROTOCOL', `More than ${limits.maxInFlight} commands in flight at once`),
      );
      return;
    }
    waiting.push(message);
    schedulePump();
  };

  const protocolError = (text: string): void => {
    shutdown(RPC_CLOSE_CODES.protocolError, rpcError('RPC_PROTOCOL', text));
  };

  socket.on('message', (data, isBinary) => {
    if (closing) return;
    if (isBinary) {
      protocolError('Binary frames are not part of the protocol: send JSON text frames');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      protocolError('A frame was not valid JSON');
      return;
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where =
        issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
      protocolError(`A frame was not a client message${where}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    handle(parsed.data);
  });
  socket.on('pong', () => {
    alive = true;
  });
  socket.on('error', () => {
    // ws reports a client's protocol violations here (a frame over maxPayload, a bad opcode)
    // and closes that socket itself (1009, 1002): that is the client's problem, not a warning.
  });
  socket.on('close', () => {
    closing = true;
    link.close();
  });

  return {
    shutdown,
    checkAlive() {
      const was = alive;
      alive = false;
      return was;
    },
  };
}

function formatMiB(bytes: number): string {
  return `${String(Math.round(bytes / (1024 * 1024)))} MiB`;
}

function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rpcError(code: FerryErrorCode, message: string): FerryError {
  return new FerryError(code, 'GENERAL_QUEUE_MANAGER', message);
}
