import type { CommandName, EventName, EventPayloads } from './contract.js';
import type { JobId } from './model/ids.js';

/**
 * The desktop shell's IPC channels and the messages that travel on them.
 *
 * The only place channel names are spelled: the preload and main/electron import these
 * constants, so a renamed channel breaks the build rather than the app (GitHub Desktop's
 * `ipc-shared.ts`). Every command goes through ONE invoke channel and every event through ONE
 * event channel; the command or event name inside the message is checked against the
 * contract's allowlists on both sides.
 */
export const IPC_CHANNELS = {
  /** Renderer → main (invoke): an `IpcInvokeRequest`; resolves to an `Envelope`. */
  invoke: 'ferry:invoke',
  /** Renderer → main (send): an `IpcSubscribeRequest`, the events this window listens to. */
  subscribe: 'ferry:subscribe',
  /** Main → renderer: an `IpcEventMessage`, one contract event. */
  event: 'ferry:event',
  /** Main → renderer: a `ShellRequest` (select a job, add URLs), after the renderer asked. */
  shell: 'ferry:shell',
} as const;

/** One IPC channel name. */
export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** What the preload sends on `IPC_CHANNELS.invoke`. */
export interface IpcInvokeRequest {
  readonly command: CommandName;
  readonly input: unknown;
}

/**
 * What the preload sends on `IPC_CHANNELS.subscribe`: the full set of wanted events (not a
 * delta), and whether the renderer takes shell requests. Sent again on every change.
 */
export interface IpcSubscribeRequest {
  readonly events: readonly EventName[];
  readonly shell: boolean;
}

/** What main sends on `IPC_CHANNELS.event`. */
export interface IpcEventMessage<E extends EventName = EventName> {
  readonly event: E;
  readonly payload: EventPayloads[E];
}

/**
 * A request from the desktop shell to the UI, outside the job contract.
 *
 * `selectJob`: the user clicked a notification about this job; show it selected (with
 * `show: 'error'`, its error: the notification said it failed).
 * `addUrls`: URLs came from the command line of a second launch (or the first); the UI
 * handles them as a drop of those URLs (AppSettings.dropAction: dialog or queue).
 */
export type ShellRequest =
  | { readonly kind: 'selectJob'; readonly jobId: JobId; readonly show?: 'error' }
  | { readonly kind: 'addUrls'; readonly urls: readonly string[] };

/**
 * What the desktop preload adds to `FerryClient` on `window.ferry`.
 *
 * A renderer served by `ferry serve` has no shell, so it checks for this member before use.
 */
export interface DesktopShellBridge {
  /** Listens to shell requests; pending ones are delivered at once. Returns an unsubscribe. */
  onShellRequest(listener: (request: ShellRequest) => void): () => void;
}
