/**
 * `npm run serve -- [--data-dir DIR] [--port N] [--static-dir DIR | --no-static]`: runs the
 * headless server in the foreground until SIGINT/SIGTERM.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runServer } from './run.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('must be a whole number from 0 (any free port) to 65535');
  }
  return port;
}

const program = new Command()
  .name('ferry-serve')
  .description('Serve the Ferry UI and its WebSocket RPC on 127.0.0.1')
  .option('--data-dir <dir>', 'data directory (default: the per-user Ferry folder)')
  .option('--port <n>', 'TCP port; 0 picks a free one (default: the rpcPort setting)', parsePort)
  .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
  .option('--static-dir <dir>', 'built renderer to serve (default: dist/renderer)')
  .option('--no-static', 'serve no UI, only the RPC endpoint')
  .showHelpAfterError();

program.parse();
const flags = program.opts<{
  dataDir?: string;
  port?: number;
  host: string;
  staticDir?: string;
  static: boolean;
}>();

runServer({
  ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
  ...(flags.port === undefined ? {} : { port: flags.port }),
  listenHost: flags.host,
  ...(flags.static
    ? flags.staticDir === undefined
      ? {}
      : { staticDir: flags.staticDir }
    : { staticDir: null }),
}).catch((error: unknown) => {
  process.stderr.write(`ferry serve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
