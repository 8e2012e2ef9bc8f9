import { resolve } from 'node:path';
import { Command } from 'commander';
// Only data-dir.ts of the engine ends up in the built CLI (see scripts/build/cli.mjs).
import { defaultDataDir } from '../engine/index.js';
import { parsePort } from './args.js';
import { registerLifecycleCommands } from './commands/lifecycle.js';
import { registerMonitorCommand } from './commands/monitor.js';
import { registerPropertyCommands } from './commands/properties.js';
import { registerQueryCommands } from './commands/query.js';
import { registerServeCommand } from './commands/serve.js';
import { registerBrowserCommands } from './commands/browser.js';
import { registerSettingsCommands } from './commands/settings.js';
import { registerTransferCommand } from './commands/transfer.js';
import { registerUploadCommands } from './commands/upload.js';
import { registerCredentialCommands } from './commands/credentials.js';
import type { CliContext } from './context.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { ferryVersion } from './version.js';

/** Options every command takes, after parsing. */
export interface GlobalOptions {
  readonly dataDir: string;
  readonly port: number | undefined;
  readonly autoStart: boolean;
}

interface RawGlobals {
  dataDir?: string;
  port?: string;
  start: boolean;
}

const DESCRIPTION =
  "Ferry's command line, modelled on bitsadmin: manages the download jobs of the Ferry " +
  'server of a data directory, starting one in the background when none runs. ' +
  'JOB is a job id or a display name that only one job has.';

/**
 * Builds the `ferry` command tree. `globals()` is valid inside actions (it is filled in by
 * a pre-action hook, which resolves the default data directory only when none was given).
 */
export function buildProgram(ctx: CliContext): { program: Command; globals: () => GlobalOptions } {
  let globals: GlobalOptions | null = null;
  const program = new Command()
    .name('ferry')
    .description(DESCRIPTION)
    .version(ferryVersion(), '-V, --version', "print Ferry's version")
    .option(
      '--data-dir <dir>',
      'data directory (default: $FERRY_DATA_DIR or the per-user Ferry folder)',
    )
    .option(
      '--port <n>',
      'port of a server started by this command (default: the rpcPort setting, 17489; 0: a free one)',
    )
    .option('--no-start', 'fail instead of starting a server when none runs')
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .showSuggestionAfterError(true)
    .exitOverride()
    // Set before the subcommands are added: they copy it. One line per usage error.
    .configureOutput({
      outputError: (text, write) => {
        write(
          `ferry: ${text
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim()}\n`,
        );
      },
    });

  program.hook('preAction', () => {
    const raw = program.opts<RawGlobals>();
    const port = raw.port === undefined ? undefined : parsePort(raw.port);
    const dataDir = raw.dataDir ?? defaultDataDir();
    globals = { dataDir: resolve(dataDir), port, autoStart: raw.start };
  });
  const read = (): GlobalOptions => {
    if (globals === null) throw new Error('global options read before parsing');
    return globals;
  };

  registerTransferCommand(program, ctx);
  registerLifecycleCommands(program, ctx);
  registerQueryCommands(program, ctx);
  registerPropertyCommands(program, ctx);
  registerMonitorCommand(program, ctx);
  registerSettingsCommands(program, ctx);
  registerServeCommand(program, ctx, read);
  registerBrowserCommands(program, ctx, read);
  registerUploadCommands(program, ctx, read);
  registerCredentialCommands(program, ctx);
  // Every subcommand reports usage errors through the program's exit override.
  for (const command of program.commands) command.exitOverride();
  return { program, globals: read };
}
