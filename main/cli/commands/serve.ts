import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/**
 * `ferry serve`: runs the headless server (UI and WebSocket RPC on 127.0.0.1) in the
 * foreground until Ctrl+C or SIGTERM. The CLI's other commands start one of these in the
 * background when none runs for their data directory.
 *
 * The server is imported only here, so other commands never load the engine.
 */
export function registerServeCommand(
  program: Command,
  _ctx: CliContext,
  globals: () => { dataDir: string; port: number | undefined },
): void {
  program
    .command('serve')
    .description('run the Ferry server for the data directory in the foreground')
    .option('--no-static', 'serve no UI, only the RPC endpoint')
    .action(async (options: { static: boolean }) => {
      const { runServer } = await import('../../server/index.js');
      const { dataDir, port } = globals();
      await runServer({
        dataDir,
        ...(port === undefined ? {} : { port }),
        ...(options.static ? {} : { staticDir: null }),
      });
      // runServer keeps the process alive and exits it on SIGINT/SIGTERM.
      await new Promise<never>(() => undefined);
    });
}
