import type { WebSocketClient } from '../../app/ws-client.js';
import type { Connection, ConnectOptions } from './connect.js';
import type { ExitCode } from './exit-codes.js';
import { printableBlock } from './printable.js';

/**
 * What every command action gets: the lazily opened server connection and the two output
 * streams.
 *
 * Results go to stdout (with `--json`, nothing else does); progress and the one-line errors go
 * to stderr, so a script can capture stdout without the noise.
 */
export interface CliContext {
  /** Connects on first use (starting a background server if needed) and reuses the link. */
  client(): Promise<WebSocketClient>;
  /** The open connection, if any (for `serve`'s sibling commands that need the record). */
  connection(): Promise<Connection>;
  /** Writes one line (or block) to stdout. */
  out(text: string): void;
  /** Writes one line to stderr. */
  note(text: string): void;
  /** Prints a value as the contract shapes it, as JSON, alone on stdout. */
  json(value: unknown): void;
  /** Sets the exit code the process ends with (for failures that were already reported). */
  setExitCode(code: ExitCode): void;
  readonly exitCode: ExitCode;
  /** Closes the connection if one was opened. */
  close(): void;
}

/** Builds the context; `options()` is read at first connect, after argument parsing. */
export function createContext(options: () => ConnectOptions): CliContext {
  let pending: Promise<Connection> | null = null;
  let opened: Connection | null = null;
  let exitCode: ExitCode = 0;
  const connection = (): Promise<Connection> => {
    // Loaded on first use: `ferry --help` and usage errors never load the WebSocket client.
    pending ??= import('./connect.js')
      .then(({ connect }) => connect(options()))
      .then(async (c) => {
        opened = c;
        // The server read its environment when it started: say so when this shell's differs.
        const { networkEnvironmentWarnings } = await import('../../app/network-environment.js');
        const { valueDigest } = await import('./value-digest.js');
        const local = networkEnvironmentWarnings(
          process.env,
          c.info.network,
          c.server.pid,
          valueDigest,
        );
        for (const warning of local) {
          process.stderr.write(`ferry: ${printableBlock(warning)}\n`);
        }
        return c;
      });
    return pending;
  };
  return {
    connection,
    client: async () => (await connection()).client,
    out(text) {
      process.stdout.write(`${printableBlock(text)}\n`);
    },
    note(text) {
      process.stderr.write(`${printableBlock(text)}\n`);
    },
    json(value) {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    setExitCode(code) {
      exitCode = code;
    },
    get exitCode() {
      return exitCode;
    },
    close() {
      opened?.close();
    },
  };
}
