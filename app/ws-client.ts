import type {
  CommandInput,
  CommandName,
  CommandOutput,
  ConnectionState,
  EventName,
  EventPayloads,
  FerryClient,
} from './contract.js';
import { isEventName } from './contract.js';
import type { FerryErrorShape } from './errors.js';
import { FerryError, fromErrorShape } from './errors.js';
import { checkEvent, checkResult } from './result-check.js';
import type { ClientMessage } from './wire.js';
import type { Timer } from './timers.js';
import { startTimer } from './timers.js';
import { RPC_CLOSE_CODES, rpcProtocols, serverMessageSchema } from './wire.js';

/** The two calls the client makes on an open socket; a browser or `ws` WebSocket has both. */
export interface RpcSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/** What a socket adapter reports back to the client. */
export interface RpcSocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  /** `code` is the WebSocket close code; adapters report a refused token as 4401. */
  onClose(code: number, reason: string): void;
}

/**
 * Opens a WebSocket with the given subprotocols and wires its events to `handlers`.
 *
 * The browser and Node (`ws`) WebSocket APIs differ in their event types, so each side passes
 * a three-line adapter instead of the client guessing.
 */
export type OpenRpcSocket = (
  url: string,
  protocols: string[],
  handlers: RpcSocketHandlers,
) => RpcSocket;

/** Close code an adapter reports when the host refused the token (HTTP 401 on the upgrade). */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

/** Options of `createWebSocketClient`. */
export interface WebSocketClientOptions {
  /** The host's RPC endpoint, e.g. `ws://127.0.0.1:17489/rpc`. */
  readonly url: string;
  readonly token: string;
  readonly open: OpenRpcSocket;
  /** Reconnect after a lost link (default true); the CLI turns it off to fail fast. */
  readonly reconnect?: boolean;
  /** First reconnect delay, doubled up to `maxReconnectDelayMs` (defaults 250 ms and 5 s). */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
}

/** A FerryClient over a WebSocket, plus the means to stop it. */
export interface WebSocketClient extends FerryClient {
  readonly state: ConnectionState;
  /** Closes the link for good: pending commands fail with RPC_DISCONNECTED. */
  close(): void;
}

interface Pending {
  readonly command: CommandName;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: FerryError) => void;
}

type AnyListener = (payload: unknown) => void;

/**
 * A reconnecting contract client over the RPC WebSocket (see app/wire.ts).
 *
 * Commands issued while connecting wait for the link; when the link is down they fail at once
 * with RPC_DISCONNECTED (or RPC_UNREACHABLE if it never came up), so a caller is never left
 * hanging. Commands in flight when the link drops fail with RPC_DISCONNECTED: they may or may
 * not have run, and a UI re-syncs from a snapshot after reconnecting (see job-mirror.ts).
 * After every (re)connect the client re-sends its event subscriptions before anything else.
 */
export function createWebSocketClient(options: WebSocketClientOptions): WebSocketClient {
  const reconnect = options.reconnect ?? true;
  const firstDelay = options.reconnectDelayMs ?? 250;
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;

  let state: ConnectionState = 'connecting';
  let socket: RpcSocket | null = null;
  let everOpen = false;
  let closedForGood = false;
  let delay = firstDelay;
  let retryTimer: Timer | null = null;
  let nextId = 1;
  let closingError: FerryErrorShape | null = null;
  const pending = new Map<number, Pending>();
  const queued: ClientMessage[] = [];
  const listeners = new Map<EventName, Set<AnyListener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();

  const setState = (next: ConnectionState): void => {
    if (state === next) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const subscribedEvents = (): EventName[] =>
    [...listeners].filter(([, set]) => set.size > 0).map(([name]) => name);

  const sendNow = (message: ClientMessage): void => {
    socket?.send(JSON.stringify(message));
  };

  const linkError = (code: number): FerryError => {
    if (code === UNAUTHORIZED_CLOSE_CODE) {
      return new FerryError(
        'RPC_UNAUTHORIZED',
        'GENERAL_QUEUE_MANAGER',
        `The Ferry host at ${options.url} refused the access token`,
      );
    }
    if (closingError !== null) return fromErrorShape(closingError);
    return everOpen
      ? new FerryError(
          'RPC_DISCONNECTED',
          'GENERAL_QUEUE_MANAGER',
          `Lost the connection to the Ferry host at ${options.url}`,
        )
      : new FerryError(
          'RPC_UNREACHABLE',
          'GENERAL_QUEUE_MANAGER',
          `Cannot reach the Ferry host at ${options.url}`,
        );
  };

  const failAll = (error: FerryError): void => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    queued.length = 0;
  };

  /** RPC_PROTOCOL for a result that is not what the contract says `command` returns. */
  const badResult = (command: CommandName, problems: string): FerryError =>
    new FerryError(
      'RPC_PROTOCOL',
      'GENERAL_QUEUE_MANAGER',
      `The Ferry host at ${options.url} answered ${command} with a result that does not match the contract: ${problems}`,
    );

  // Every frame is checked before it is used: the frame's shape here, then a result against
  // its command's schema and an event's payload against its event's (result-schemas.ts). A
  // frame that is not a server message, or an event that does not fit, is dropped; a result
  // that does not fit fails its command with RPC_PROTOCOL rather than resolving to a wrong type.
  const onMessage = (text: string): void => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'result') {
      const entry = pending.get(message.id);
      if (entry === undefined) return;
      pending.delete(message.id);
      if (!message.result.ok) {
        entry.reject(fromErrorShape(message.result.error));
        return;
      }
      const checked = checkResult(entry.command, message.result.value);
      if (checked.ok) entry.resolve(checked.value);
      else entry.reject(badResult(entry.command, checked.problems));
    } else if (message.type === 'event') {
      if (!isEventName(message.event)) return;
      const checked = checkEvent(message.event, message.payload);
      if (!checked.ok) return;
      for (const listener of [...(listeners.get(message.event) ?? [])]) listener(checked.value);
    } else {
      closingError = message.error;
    }
  };

  const connect = (): void => {
    retryTimer = null;
    closingError = null;
    setState('connecting');
    let opened = false;
    socket = options.open(options.url, rpcProtocols(options.token), {
      onOpen() {
        opened = true;
        everOpen = true;
        delay = firstDelay;
        sendNow({ type: 'subscribe', events: subscribedEvents() });
        for (const message of queued.splice(0)) sendNow(message);
        setState('open');
      },
      onMessage,
      onClose(code) {
        socket = null;
        failAll(linkError(code));
        if (closedForGood) return;
        const refused = code === UNAUTHORIZED_CLOSE_CODE;
        setState('closed');
        if (!reconnect || refused || code === RPC_CLOSE_CODES.protocolError) return;
        retryTimer = startTimer(connect, opened ? firstDelay : delay);
        if (!opened) delay = Math.min(maxDelay, delay * 2);
      },
    });
  };

  connect();

  return {
    get state() {
      return state;
    },
    invoke<C extends CommandName>(command: C, input: CommandInput<C>) {
      if (closedForGood || state === 'closed') {
        return Promise.reject(linkError(0));
      }
      const id = nextId++;
      const message: ClientMessage = { type: 'invoke', id, command, input };
      return new Promise<CommandOutput<C>>((resolve, reject) => {
        pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject });
        if (state === 'open') sendNow(message);
        else queued.push(message);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      const wasEmpty = set.size === 0;
      const entry = listener as AnyListener;
      set.add(entry);
      if (wasEmpty && state === 'open') sendNow({ type: 'subscribe', events: subscribedEvents() });
      return () => {
        if (set.delete(entry) && set.size === 0 && state === 'open') {
          sendNow({ type: 'subscribe', events: subscribedEvents() });
        }
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    close() {
      if (closedForGood) return;
      closedForGood = true;
      retryTimer?.cancel();
      retryTimer = null;
      failAll(new FerryError('RPC_DISCONNECTED', 'GENERAL_QUEUE_MANAGER', 'The client was closed'));
      socket?.close(1000);
      socket = null;
      setState('closed');
    },
  };
}
