import type { FerryClient } from '../../app/index.js';
import { FerryError, toErrorShape } from '../../app/index.js';
import { callerFromArgs } from './caller.js';
import { encodeNativeMessage } from './framing.js';
import { runRelay } from './relay.js';

/**
 * `ferry native-host`: what the browser runs when Ferry's extension connects.
 *
 * The caller comes from the browser's arguments; a host started by anything but an extension
 * (a page cannot start one, but a hand-typed command can) reports one `fatal` message and
 * exits without ever connecting to Ferry. Otherwise it relays until the browser closes the
 * port. The link to Ferry is the CLI's: the data directory's token and server record,
 * starting a background server when none runs.
 */
export async function runNativeHost(
  browserArgs: readonly string[],
  connect: () => Promise<FerryClient & { close?: () => void }>,
): Promise<number> {
  const caller = callerFromArgs(browserArgs);
  if (caller === null) {
    const error = new FerryError(
      'RPC_NOT_PAIRED',
      'GENERAL_QUEUE_MANAGER',
      "Ferry's native host answers browser extensions only",
    );
    process.stdout.write(encodeNativeMessage({ type: 'fatal', error: toErrorShape(error) }));
    process.stderr.write(`ferry native-host: ${error.message} (not started by an extension)\n`);
    return 1;
  }
  return runRelay({ input: process.stdin, output: process.stdout, caller, connect });
}
