import { COMMAND_NAMES, EVENT_NAMES, isCommandName, isEventName } from '../../app/contract.js';
import type {
  CommandInput,
  CommandName,
  ConnectionState,
  EventName,
  EventPayloads,
  FerryClient,
} from '../../app/contract.js';
import { FerryError, fromErrorShape } from '../../app/errors.js';
import type { FerryErrorShape } from '../../app/errors.js';
import { checkEvent, checkResult } from '../../app/result-check.js';
import type {
  DesktopShellBridge,
  IpcInvokeRequest,
  IpcSubscribeRequest,
  ShellRequest,
} from '../../app/ipc-channels.js';

/**
 * The preload's logic, apart from Electron: `window.ferry` over an injected IPC port.
 *
 * preload.ts builds the port from `ipcRenderer` (never exposing it) and exposes what this
 * returns. Keeping it here lets the unit tests drive the real client through a loopback port.
 */

/** The preload's allowlist of commands: exactly the contract's command names. */
export const ALLOWED_COMMANDS: ReadonlySet<string> = new Set<string>(COMMAND_NAMES);
/** The preload's allowlist of events: exactly the contract's event names. */
export const ALLOWED_EVENTS: ReadonlySet<string> = new Set<string>(EVENT_NAMES);

/** The IPC the client uses: one method per channel of `IPC_CHANNELS`. */
export interface BridgePort {
  /** `ipcRenderer.invoke(IPC_CHANNELS.invoke, request)`. */
  invoke(request: IpcInvokeRequest): Promise<unknown>;
  /** `ipcRenderer.send(IPC_CHANNELS.subscribe, request)`. */
  subscribe(request: IpcSubscribeRequest): void;
  /** Receives every message main sends on `IPC_CHANNELS.event`. */
  onEvent(listener: (message: unknown) => void): void;
  /** Receives every message main sends on `IPC_CHANNELS.shell`. */
  onShell(listener: (message: unknown) => void): void;
}

/** The object the preload exposes as `window.ferry`. */
export type FerryBridge = FerryClient & DesktopShellBridge;

/**
 * Creates the client.
 *
 * `invoke` checks the name against the allowlist (an unknown one rejects INPUT_INVALID without
 * any IPC) and turns an error envelope back into a FerryError. `on` checks the event name, and
 * the set of events with listeners is sent to main whenever it changes, so main forwards only
 * what this window listens to. IPC to the own process never drops, so the link is always open.
 */
export function createFerryBridge(port: BridgePort): FerryBridge {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const shellListeners = new Set<(request: ShellRequest) => void>();
  let sentKey = '';

  const syncSubscription = (): void => {
    const events = EVENT_NAMES.filter((name) => (listeners.get(name)?.size ?? 0) > 0);
    const request: IpcSubscribeRequest = { events, shell: shellListeners.size > 0 };
    const key = JSON.stringify(request);
    if (key === sentKey) return;
    sentKey = key;
    port.subscribe(request);
  };

  port.onEvent((message) => {
    if (!isRecord(message) || !isEventName(message.event)) return;
    // Checked like the WebSocket client's events: a payload of the wrong shape is dropped.
    const checked = checkEvent(message.event, message.payload);
    if (!checked.ok) return;
    for (const listener of [...(listeners.get(message.event) ?? [])]) {
      callSafely(listener as (payload: unknown) => void, checked.value);
    }
  });
  port.onShell((message) => {
    if (!isShellRequest(message)) return;
    for (const listener of [...shellListeners]) callSafely(listener, message);
  });

  return {
    async invoke(command, input) {
      // Typed as a CommandName, but the renderer's JavaScript may pass anything.
      const name: unknown = command;
      if (!isCommandName(name) || !ALLOWED_COMMANDS.has(name)) {
        throw new FerryError(
          'RPC_UNKNOWN_COMMAND',
          'NONE',
          `Unknown command '${String(name)}'; see COMMAND_NAMES in app/contract.ts`,
        );
      }
      const envelope = await port.invoke({ command: name, input });
      if (isRecord(envelope) && envelope.ok === true && 'value' in envelope) {
        const checked = checkResult(name, envelope.value);
        if (!checked.ok) {
          throw new FerryError(
            'RPC_PROTOCOL',
            'UNKNOWN',
            `The desktop shell answered '${name}' with a result that does not match the contract: ${checked.problems}`,
          );
        }
        return checked.value as never;
      }
      if (isRecord(envelope) && envelope.ok === false && isErrorShape(envelope.error)) {
        throw fromErrorShape(envelope.error);
      }
      throw new FerryError(
        'RPC_PROTOCOL',
        'UNKNOWN',
        `The desktop shell answered '${command}' with a malformed envelope`,
      );
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      const name: unknown = event;
      const callback: unknown = listener;
      if (!isEventName(name) || !ALLOWED_EVENTS.has(name) || typeof callback !== 'function') {
        throw new FerryError(
          'RPC_PROTOCOL',
          'NONE',
          `Unknown event '${String(name)}'; see EVENT_NAMES in app/contract.ts`,
        );
      }
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      // A wrapper per call, so subscribing the same function twice needs two unsubscribes.
      const entry = (payload: never): void => {
        listener(payload);
      };
      set.add(entry);
      syncSubscription();
      return once(() => {
        set.delete(entry);
        syncSubscription();
      });
    },
    onConnection(listener: (state: ConnectionState) => void) {
      listener('open');
      return () => undefined;
    },
    onShellRequest(listener) {
      const entry = (request: ShellRequest): void => {
        listener(request);
      };
      shellListeners.add(entry);
      syncSubscription();
      return once(() => {
        shellListeners.delete(entry);
        syncSubscription();
      });
    },
  };
}

/**
 * The object the preload exposes as `window.ferry`: the bridge's four methods as plain
 * functions, a rejected invoke turned into its plain error shape (see toCrossableError).
 *
 * Built here rather than in preload.ts so the shell tests expose the very same object in
 * Chromium (tests/electron/support/page-preload.ts).
 */
export function exposedFerry(bridge: FerryBridge): FerryBridge {
  return {
    invoke: <C extends CommandName>(command: C, input: CommandInput<C>) =>
      bridge.invoke(command, input).catch((error: unknown) =>
        // A FerryError would cross contextBridge as its message alone; its plain shape crosses
        // whole, and the renderer's client rebuilds the FerryError.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        Promise.reject(toCrossableError(error)),
      ),
    on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) =>
      bridge.on(event, listener),
    onConnection: (listener: (state: ConnectionState) => void) => bridge.onConnection(listener),
    onShellRequest: (listener: (request: ShellRequest) => void) => bridge.onShellRequest(listener),
  };
}

/**
 * The form a rejected `invoke` takes across `contextBridge`: the plain error shape.
 *
 * contextBridge rebuilds a thrown Error from its message alone, so a FerryError's code and
 * context would be lost; a plain object crosses intact. The renderer's client rebuilds the
 * FerryError with `fromErrorShape` (or matches `code` directly: `instanceof` does not cross a process boundary).
 */
export function toCrossableError(
  error: unknown,
): FerryErrorShape & { readonly name: 'FerryError' } {
  const shape =
    error instanceof FerryError
      ? error.toShape()
      : ({
          code: 'INTERNAL',
          context: 'UNKNOWN',
          message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
        } satisfies FerryErrorShape);
  return { name: 'FerryError', ...shape };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** One listener's exception must not keep the others from their event. */
function callSafely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isErrorShape(value: unknown): value is FerryErrorShape {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    typeof value.context === 'string' &&
    typeof value.message === 'string'
  );
}

function isShellRequest(value: unknown): value is ShellRequest {
  if (!isRecord(value)) return false;
  if (value.kind === 'selectJob') return typeof value.jobId === 'string';
  if (value.kind === 'addUrls') {
    return Array.isArray(value.urls) && value.urls.every((u) => typeof u === 'string');
  }
  return false;
}
