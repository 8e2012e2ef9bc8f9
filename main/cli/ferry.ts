/**
 * `ferry`: the bitsadmin-style command line over the Ferry server's RPC (see bin/ferry.js).
 *
 * Every failure ends in exactly one line on stderr, `ferry: <message> (<CODE>)`, and an exit
 * code from the table in exit-codes.ts.
 */
import { CommanderError } from 'commander';
import { createContext } from './context.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { buildProgram } from './program.js';
import { printableMessage } from './printable.js';

/** Runs the CLI on `argv` (as process.argv) and resolves to its exit code. */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  let globalsRead:
    (() => { dataDir: string; port: number | undefined; autoStart: boolean }) | null = null;
  const ctx = createContext(() => {
    if (globalsRead === null) throw new Error('connect before parsing');
    return globalsRead();
  });
  const { program, globals } = buildProgram(ctx);
  globalsRead = globals;
  try {
    await program.parseAsync([...argv]);
    return ctx.exitCode;
  } catch (error) {
    return report(error);
  } finally {
    ctx.close();
  }
}

/** Prints one line for a failure and picks its exit code. */
function report(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has printed its own line (through outputError) or the help text.
    if (error.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const { code, message } = error;
    if (typeof code === 'string' && typeof message === 'string' && /^[A-Z][A-Z_]+$/.test(code)) {
      process.stderr.write(`ferry: ${oneLine(message)} (${code})\n`);
      return exitCodeFor(code);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ferry: internal error: ${oneLine(message)}\n`);
  return EXIT.other;
}

/** The message on one line, its other control characters escaped (see printable.ts). */
function oneLine(text: string): string {
  return printableMessage(text);
}

// A reader that stops early (`ferry list | head -1`) closes the pipe: stop quietly, as other
// command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(EXIT.ok);
});

process.exitCode = await runCli(process.argv);
