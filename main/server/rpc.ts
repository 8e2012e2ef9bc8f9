import type { WebSocket } from 'ws';
import type { FerryErrorCode } from '../../app/index.js';
import { FerryError, isEventName, toErrorShape } from '../../app/index.js';
import type { EventName } from '../../app/index.js';
import { RPC_CLOSE_CODES, clientMessageSchema } from '../../app/wire.js';
import type { ClientMessage, ServerMessage } from '../../app/wire.js';
import type { ClientKind, EngineHost } from '../host/index.js';

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

/** Limits of one connection; the defaults suit a UI or the CLI on the same machine. */
export interface RpcConnectionLimits {
  /** Bytes queued on the socket beyond which a slow client is dropped (default 16 MiB). */
  readonly maxBufferedBytes: number;
  /** Commands one client may have running at once (default 256). */
  readonly maxInFlight: number;
}

/** Default limits of a connection. */
export const DEFAULT_RPC_LIMITS: RpcConnectionLimits = {
  maxBufferedBytes: 16 * 1024 * 1024,
  maxInFlight: 256,
};

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
  let inFlight = 0;
  let alive = true;

  const send = (message: ServerMessage): void => {
    if (closing || socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message));
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      shutdown(
        RPC_CLOSE_OVERLOADED,
        rpcError(
          'RPC_DISCONNECTED',
          `Client dropped: more than ${limits.maxBufferedBytes} bytes waiting to be sent to it`,
        ),
        false,
      );
    }
  };

  const shutdown = (code: number, error: FerryError, announce = true): void => {
    if (closing) return;
    // The announcement is sent before `closing` is set, so send() lets it through.
    if (announce && socket.readyState === socket.OPEN) {
      socket.send(JSON.stringify({ type: 'closing', error: toErrorShape(error) }));
    }
    closing = true;
    link.close();
    socket.close(code, error.message.slice(0, 120));
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
    if (inFlight >= limits.maxInFlight) {
      shutdown(
        RPC_CLOSE_OVERLOADED,
        rpcError('RPC_PROTOCOL', `More than ${limits.maxInFlight} commands in flight at once`),
      );
      return;
    }
    inFlight++;
    const { id } = message;
    host
      .invoke(message.command, message.input, link)
      .then((result) => {
        send({ type: 'result', id, result });
      })
      .catch((error: unknown) => {
        // invoke never rejects by contract; a failure here is a serialisation bug.
        onWarning(`could not send the result of ${message.command}`, error);
        send({ type: 'result', id, result: { ok: false, error: toErrorShape(error) } });
      })
      .finally(() => {
        inFlight--;
      });
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

function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rpcError(code: FerryErrorCode, message: string): FerryError {
  return new FerryError(code, 'GENERAL_QUEUE_MANAGER', message);
}
