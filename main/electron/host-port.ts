import type {
  CommandInput,
  CommandName,
  CommandOutput,
  Envelope,
  EventName,
  EventPayloads,
} from '../../app/contract.js';
import { fromErrorShape } from '../../app/errors.js';
import type { JobId } from '../../app/model/ids.js';

/**
 * What the desktop shell uses of the engine host (main/host's `EngineHost`), as a structural
 * type: the shell depends on these two calls only, and tests can hand it any host.
 */
export interface EngineHostPort {
  /**
   * Validates the name and input with the contract, runs the command; never throws. `caller`
   * is the client's connection, for commands about the caller (its notify interface).
   */
  invoke(command: unknown, input: unknown, caller?: HostConnection): Promise<Envelope<unknown>>;
  /**
   * A per-client event stream (jobsChanged coalesced per client). A `window` client must have
   * a notify command line confirmed by the user; the shell's own client is a `script`.
   */
  connect(send: HostEventSink, kind?: 'window' | 'script'): HostConnection;
}

/** Where the host delivers one client's events (main/host's `EventSink`). */
export type HostEventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** One client's event stream from the host. */
export interface HostConnection {
  /** Replaces the set of events this client receives. */
  subscribe(events: readonly EventName[]): void;
  /** Registers this client for a job's callbacks, or every job's (app/notify-interface.ts). */
  setNotifyInterface(jobId: JobId | 'all', enabled: boolean): void;
  close(): void;
}

/**
 * Runs a command for the shell itself (tray, notifications), typed by the contract.
 *
 * Unwraps the envelope: an error comes back as a thrown FerryError.
 */
export async function runCommand<C extends CommandName>(
  host: EngineHostPort,
  command: C,
  input: CommandInput<C>,
  caller?: HostConnection,
): Promise<CommandOutput<C>> {
  const envelope = await host.invoke(command, input, caller);
  if (!envelope.ok) throw fromErrorShape(envelope.error);
  return envelope.value as CommandOutput<C>;
}
