import type {
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  EventPayloads,
  FerryClient,
} from '../../app/contract.js';
import type { EngineHostPort, HostConnection } from './host-port.js';
import { runCommand } from './host-port.js';

/** A FerryClient over the in-process host, plus the means to stop it. */
export interface HostClient extends FerryClient {
  /** The client's connection, for commands about the caller (its notify interface). */
  readonly connection: HostConnection;
  close(): void;
}

type AnyListener = (payload: unknown) => void;

/**
 * The desktop shell's own client of the host, as a FerryClient: the same interface the window
 * and the CLI hold, so the shell keeps its jobs with the same job mirror (app/job-mirror.ts).
 *
 * The host runs in this process, so the link is open from the start and never drops; events
 * come through one host connection whose subscription follows the listeners.
 */
export function createHostClient(host: EngineHostPort): HostClient {
  const listeners = new Map<EventName, Set<AnyListener>>();
  const connection = host.connect((event, payload) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  });
  const resubscribe = (): void => {
    connection.subscribe([...listeners].filter(([, set]) => set.size > 0).map(([name]) => name));
  };
  return {
    connection,
    invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
      return runCommand(host, command, input, connection);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      // The host calls each event's listeners with that event's payload (HostEventSink).
      const entry = listener as AnyListener;
      set.add(entry);
      resubscribe();
      return () => {
        if (set.delete(entry)) resubscribe();
      };
    },
    onConnection(listener) {
      listener('open');
      return () => undefined;
    },
    close() {
      listeners.clear();
      connection.close();
    },
  };
}
