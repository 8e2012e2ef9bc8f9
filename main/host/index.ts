import type { CommandName, Envelope, EngineHostInfo } from '../../app/index.js';
import { FerryError, isCommandName, toErrorShape } from '../../app/index.js';
import { maskErrorShape } from '../../app/secret-mask.js';
import type { Engine } from '../engine/index.js';
import { startAutoComplete } from './auto-complete.js';
import { FileLinks } from './file-links.js';
import { listFolder } from './folder-browser.js';
import { browserCommands } from './browser-commands.js';
import { engineCommands } from './engine-commands.js';
import { runCommand } from './command-table.js';
import type { CommandHandlers, CommandTable } from './command-table.js';
import { notifyCommands } from './notify-commands.js';
import type { ConfirmNotifyCmdLine } from './notify-commands.js';
import { EventHub } from './event-hub.js';
import type { ClientKind, ClientLink, EventSink } from './event-hub.js';
import { jobCommands } from './job-commands.js';

export type { ClientKind, ClientLink, EventSink } from './event-hub.js';
export type { ConfirmNotifyCmdLine } from './notify-commands.js';
export { DEFAULT_BATCH_INTERVAL_MS } from './event-hub.js';

/** What a shell hosting the engine gives the host. */
export interface EngineHostOptions {
  readonly engine: Engine;
  readonly host: EngineHostInfo['host'];
  readonly version: string;
  /** Least time between two `jobsChanged` batches to one client (default 250 ms). */
  readonly batchIntervalMs?: number;
  /** Where unexpected failures are reported (an INTERNAL error, a throwing client). */
  readonly onWarning?: (message: string, cause?: unknown) => void;
  /**
   * Asks the user to confirm a notify command line a window wants to set (the desktop app's
   * native dialog). Without it, windows cannot set one: the CLI can.
   */
  readonly confirmNotifyCmdLine?: ConfirmNotifyCmdLine;
  /**
   * Opens a file with the system's default program, or shows it in its folder (`reveal`): the
   * desktop app's shell. Without it, `files.open` answers `opened: false`.
   */
  readonly openFile?: (path: string, reveal: boolean) => Promise<void>;
  /**
   * The system's folder dialog, starting at `start`; null when the user cancels. Without it,
   * `folders.pick` answers `supported: false`.
   */
  readonly pickFolder?: (start: string) => Promise<string | null>;
}

/**
 * The engine behind the contract: what the desktop shell's IPC and the server's WebSocket
 * both call. Shells only move envelopes and events; all validation happens here.
 */
export interface EngineHost {
  readonly engine: Engine;
  /**
   * Runs one command: checks the name against the contract, parses the input with the
   * command's schema, calls the engine. Never throws: failures come back as error envelopes.
   *
   * `caller` is the link of the client that sent it: commands about the caller itself (the
   * notify interface) act on it, and are refused without one.
   */
  invoke(command: unknown, input: unknown, caller?: ClientLink): Promise<Envelope<unknown>>;
  /** Connects one client's event stream; it receives the events it subscribes to. */
  connect(send: EventSink, kind?: ClientKind): ClientLink;
  /** The current event revision (see `jobs.snapshot`). */
  readonly revision: number;
  /**
   * The saved file a `files.link` URL path points to, or null when the link is unknown or has
   * expired (the server answers 404 then).
   */
  resolveFileLink(urlPath: string): { readonly path: string; readonly name: string } | null;
  /** Disconnects every client. The engine itself is closed by its owner. */
  close(): void;
}

/** Builds the host for an open engine. */
export function createEngineHost(options: EngineHostOptions): EngineHost {
  const { engine } = options;
  const onWarning = options.onWarning ?? (() => undefined);
  const hub = new EventHub(engine, options.batchIntervalMs, onWarning);
  const stopAutoComplete = startAutoComplete(engine, onWarning);
  const fileLinks = new FileLinks(engine);
  const fileCommands: CommandHandlers<
    Extract<CommandName, `files.${string}` | `folders.${string}`>
  > = {
    'files.link': (input) => Promise.resolve(fileLinks.create(input)),
    'folders.list': (input) => listFolder(input),
    'files.open': async ({ jobId, fileIndex, reveal }) => {
      const path = fileLinks.savedFile({ jobId, fileIndex });
      if (options.openFile === undefined) return { opened: false };
      await options.openFile(path, reveal);
      return { opened: true };
    },
    'folders.pick': async ({ start }) => {
      if (options.pickFolder === undefined) return { supported: false, path: null };
      return { supported: true, path: await options.pickFolder(start) };
    },
  };
  const table: CommandTable = {
    ...jobCommands(engine),
    ...engineCommands(engine, hub, {
      host: options.host,
      version: options.version,
      pid: process.pid,
    }),
    ...browserCommands(engine, hub),
    ...fileCommands,
    ...notifyCommands(engine, options.confirmNotifyCmdLine),
  };

  return {
    engine,
    get revision() {
      return hub.revision;
    },
    async invoke(command, input, caller) {
      try {
        if (!isCommandName(command)) {
          throw new FerryError(
            'RPC_UNKNOWN_COMMAND',
            'GENERAL_QUEUE_MANAGER',
            `Unknown command ${typeof command === 'string' ? `'${command.slice(0, 128)}'` : `of type ${typeof command}`}`,
          );
        }
        const value: unknown = await runCommand(table, command, input, caller);
        return { ok: true, value };
      } catch (error) {
        if (!(error instanceof FerryError)) onWarning(`command failed unexpectedly`, error);
        return { ok: false, error: maskErrorShape(toErrorShape(error)) };
      }
    },
    resolveFileLink(urlPath) {
      return fileLinks.resolve(urlPath);
    },
    connect(send, kind) {
      return hub.connect(send, kind);
    },
    close() {
      stopAutoComplete();
      hub.close();
    },
  };
}
export { createLocalClient } from './local-client.js';
export type { LocalClient } from './local-client.js';
