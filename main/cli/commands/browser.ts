import type { Command } from 'commander';
import type { ExtensionRef, PairingsView } from '../../../app/index.js';
import { EXTENSION_BROWSERS, FerryError, extensionRefSchema } from '../../../app/index.js';
import type { IntegrationBrowser } from '../../native-host/manifests.js';
import { INTEGRATION_BROWSERS } from '../../native-host/manifests.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatTable } from '../format.js';
import type { JsonOption } from './shared.js';
import { report, withJson } from './shared.js';

/**
 * The browser integration's commands:
 *
 * - `ferry native-host ARGS…`: the native messaging host the browser starts for Ferry's
 *   extension (through the launcher `ferry integrate --install` writes). stdout carries native
 *   messages only.
 * - `ferry integrate --install | --uninstall`: registers or removes that host for Chrome,
 *   Chromium, Edge and Firefox.
 * - `ferry browsers [allow | deny | revoke BROWSER ID]`: lists the extensions paired with
 *   Ferry and those waiting for an answer, and answers or revokes them (as the window does).
 */
export function registerBrowserCommands(
  program: Command,
  ctx: CliContext,
  globals: () => { dataDir: string },
): void {
  program
    .command('native-host')
    .description(
      "run the native messaging host for Ferry's browser extension (started by the browser)",
    )
    .argument('[browserArgs...]', 'what the browser passes: the calling extension')
    .allowUnknownOption()
    .action(async (browserArgs: string[]) => {
      const { runNativeHost } = await import('../../native-host/run.js');
      const code = await runNativeHost(browserArgs, async () => (await ctx.connection()).client);
      ctx.setExitCode(code === 0 ? EXIT.ok : EXIT.other);
    });

  program
    .command('integrate')
    .description("register (or remove) the native messaging host for Ferry's browser extension")
    .option('--install', 'register the host for the browsers')
    .option('--uninstall', 'remove the host from the browsers')
    .option(
      '--browser <names...>',
      `browsers: ${INTEGRATION_BROWSERS.join(', ')} (default: all)`,
      parseBrowsers,
    )
    .option('--manifest-dir <dir>', "write the manifest into this folder (a browser profile's own)")
    .option(
      '--extension-id <ids...>',
      'also allow these extension ids (a store or development build)',
    )
    .action(
      async (options: {
        install?: boolean;
        uninstall?: boolean;
        browser?: IntegrationBrowser[];
        manifestDir?: string;
        extensionId?: string[];
      }) => {
        if (options.install === options.uninstall) {
          throw new FerryError(
            'INPUT_INVALID',
            'NONE',
            'Give exactly one of --install and --uninstall',
          );
        }
        const { installIntegration, uninstallIntegration } =
          await import('../../native-host/integrate.js');
        const request = {
          dataDir: globals().dataDir,
          browsers: options.browser ?? [...INTEGRATION_BROWSERS],
          ...(options.manifestDir === undefined ? {} : { manifestDir: options.manifestDir }),
          ...(options.extensionId === undefined ? {} : { extraIds: options.extensionId }),
        };
        const results =
          options.install === true
            ? await installIntegration(request)
            : await uninstallIntegration(request);
        const verb = options.install === true ? 'registered for' : 'removed from';
        for (const result of results) {
          const where = result.registryKey === null ? result.manifestPath : result.registryKey;
          ctx.out(`Ferry's native host ${verb} ${result.browser}: ${where}`);
        }
      },
    );

  const browsers = program
    .command('browsers')
    .description('list browser extensions paired with Ferry and those waiting for an answer');
  withJson(browsers).action(async (options: JsonOption) => {
    const view = await (await ctx.client()).invoke('browser.pairings', {});
    report(ctx, options, view, formatPairings(view));
  });
  const answer = (name: 'allow' | 'deny' | 'revoke', description: string): void => {
    withJson(
      browsers
        .command(name)
        .description(description)
        .argument('<browser>', EXTENSION_BROWSERS.join(' or '))
        .argument('<id>', 'the extension id'),
    ).action(async (browser: string, id: string, options: JsonOption) => {
      const extension = parseRef(browser, id);
      const client = await ctx.client();
      const view =
        name === 'revoke'
          ? await client.invoke('browser.revoke', { extension })
          : await client.invoke('browser.decide', { extension, allow: name === 'allow' });
      report(ctx, options, view, formatPairings(view));
    });
  };
  answer('allow', 'allow a waiting extension to hand downloads to Ferry');
  answer('deny', 'refuse a waiting extension (until Ferry restarts)');
  answer('revoke', 'forget a paired extension: it has to ask again');
}

function parseBrowsers(
  value: string,
  previous: IntegrationBrowser[] | undefined,
): IntegrationBrowser[] {
  const found = INTEGRATION_BROWSERS.find((b) => b === value.toLowerCase());
  if (found === undefined) {
    throw new FerryError(
      'INPUT_INVALID',
      'NONE',
      `Unknown browser '${value}': use ${INTEGRATION_BROWSERS.join(', ')}`,
    );
  }
  return [...(previous ?? []), found];
}

function parseRef(browser: string, id: string): ExtensionRef {
  const family = EXTENSION_BROWSERS.find((b) => b === browser.toLowerCase());
  const parsed = extensionRefSchema.safeParse({ browser: family ?? browser, extensionId: id });
  if (family === undefined || !parsed.success) {
    throw new FerryError(
      'INPUT_INVALID',
      'NONE',
      family === undefined
        ? `Unknown browser family '${browser}': use ${EXTENSION_BROWSERS.join(' or ')}`
        : `'${id}' is not a ${family} extension id`,
    );
  }
  return parsed.data;
}

function formatPairings(view: PairingsView): string {
  const rows = [
    ...view.pending.map((p) => [p.browser, p.extensionId, p.label, 'waiting', p.requestedAt]),
    ...view.paired.map((p) => [p.browser, p.extensionId, p.label, 'paired', p.pairedAt]),
  ];
  if (rows.length === 0) return 'No browser extension is paired with Ferry.';
  return formatTable(['BROWSER', 'ID', 'NAME', 'STATUS', 'SINCE'], rows);
}
