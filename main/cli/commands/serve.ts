import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { ferryVersion } from '../version.js';

/**
 * `ferry serve`: runs the headless server (UI and WebSocket RPC on 127.0.0.1) in the
 * foreground until Ctrl+C or SIGTERM. It is Ferry's one server entry: `npm run serve`, the
 * background server the other commands start, and the end-to-end tests all run it.
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
    .option('--static-dir <dir>', 'built window to serve (default: the one built with Ferry)')
    .option('--no-static', 'serve no UI, only the RPC endpoint')
    .action(async (options: { static: boolean; staticDir?: string }) => {
      const { runServer } = await import('../../server/index.js');
      const { dataDir, port } = globals();
      await runServer({
        dataDir,
        version: ferryVersion(),
        ...(port === undefined ? {} : { port }),
        ...(options.static
          ? options.staticDir === undefined
            ? {}
            : { staticDir: resolve(options.staticDir) }
          : { staticDir: null }),
      });
      // runServer keeps the process alive and exits it on SIGINT/SIGTERM.
      await new Promise<never>(() => undefined);
    });
}
