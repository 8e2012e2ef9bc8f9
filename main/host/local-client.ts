import type {
  CommandInput,
  CommandName,
  CommandOutput,
  ConnectionState,
  EventName,
  Envelope,
  EventPayloads,
  FerryClient,
} from '../../app/index.js';
import { FerryError, fromErrorShape } from '../../app/index.js';
import type { ClientKind, ClientLink, EventSink } from './event-hub.js';

/**
 * The two doors of an engine host that a client uses, as a remote connection does: `invoke`
 * and `connect` (the host's `EngineHost` has them; named here so that this file does not
 * import the host that re-exports it).
 */
export interface HostDoors {
  invoke(command: unknown, input: unknown, caller?: ClientLink): Promise<Envelope<unknown>>;
  connect(send: EventSink, kind?: ClientKind): ClientLink;
}

/** An in-process client: for a shell that hosts the engine itself and for tests. */
export interface LocalClient extends FerryClient {
  /** Drops the link, as a lost connection would: events stop, commands fail. */
  disconnect(): void;
  /** Brings the link back. */
  reconnect(): void;
}

type AnyListener = (payload: unknown) => void;

/**
 * A FerryClient that calls an EngineHost directly, with the same rules as a remote one.
 *
 * Inputs, results and events go through JSON on the way, as they would over IPC or a
 * WebSocket, so anything that passes here also survives a real boundary.
 */
export function createLocalClient(host: HostDoors): LocalClient {
  const listeners = new Map<EventName, Set<AnyListener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'closed';
  let link: ClientLink | null = null;

  const events = (): EventName[] =>
    [...listeners].filter(([, set]) => set.size > 0).map(([name]) => name);
  const setState = (next: ConnectionState): void => {
    state = next;
    for (const listener of connectionListeners) listener(next);
  };
  const open = (): void => {
    link = host.connect((event, payload) => {
      const copy: unknown = JSON.parse(JSON.stringify(payload));
      for (const listener of [...(listeners.get(event) ?? [])]) listener(copy);
    });
    link.subscribe(events());
    setState('open');
  };
  open();

  return {
    async invoke<C extends CommandName>(
      command: C,
      input: CommandInput<C>,
    ): Promise<CommandOutput<C>> {
      if (state !== 'open') {
        throw new FerryError('RPC_DISCONNECTED', 'GENERAL_QUEUE_MANAGER', 'Not connected');
      }
      const envelope = await host.invoke(
        command,
        JSON.parse(JSON.stringify(input ?? {})),
        link ?? undefined,
      );
      if (!envelope.ok) throw fromErrorShape(envelope.error);
      return JSON.parse(JSON.stringify(envelope.value ?? null)) as CommandOutput<C>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      const entry = listener as AnyListener;
      set.add(entry);
      link?.subscribe(events());
      return () => {
        set.delete(entry);
        link?.subscribe(events());
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    disconnect() {
      link?.close();
      link = null;
      setState('closed');
    },
    reconnect() {
      if (link === null) open();
    },
  };
}
