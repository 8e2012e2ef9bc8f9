import { mkdirSync } from 'node:fs';
import type {
  CommandName,
  HandOffItem,
  PairedExtension,
  ParsedInput,
  RecentDownload,
} from '../../app/index.js';
import {
  FerryError,
  INTEGRATION_BROWSERS,
  MAX_DESCRIPTION_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
} from '../../app/index.js';
import type { Engine, Job } from '../engine/index.js';
import { checkRemoteName } from '../engine/index.js';
import {
  defaultDownloadFolder,
  nameFromUrl,
  sanitizeName,
  takenNames,
  uniquePath,
} from './download-plan.js';
import type { EventHub } from './event-hub.js';
import type { CommandHandlers } from './command-table.js';
import {
  installIntegration,
  integrationStatus,
  uninstallIntegration,
} from '../native-host/integrate.js';
import { PairingRegistry } from './browser-pairing.js';

/** The `browser.*` commands. */
export type BrowserCommandName = Extract<CommandName, `browser.${string}`>;

/**
 * Handlers of the `browser.*` commands: pairing (asked by the native messaging host for the
 * extension that started it, answered by the user in the window), what a paired extension
 * may do (hand over downloads, send links to the Add dialog, read recent jobs), and the
 * native host's registration with the browsers, which the settings offer.
 *
 * Every extension action checks the pairing first, so nothing reaches the engine from an
 * extension the user has not allowed or has revoked.
 */
export function browserCommands(
  engine: Engine,
  hub: EventHub,
): CommandHandlers<BrowserCommandName> {
  const pairings = new PairingRegistry(engine, (view) => {
    hub.publish('pairingsChanged', { revision: hub.revision, pairings: view });
  });

  return {
    'browser.pair': (input) =>
      Promise.resolve({ status: pairings.request(input.extension, input.label) }),
    'browser.pairings': () => Promise.resolve(pairings.view()),
    'browser.decide': (input) => Promise.resolve(pairings.decide(input.extension, input.allow)),
    'browser.revoke': (input) => Promise.resolve(pairings.revoke(input.extension)),
    'browser.handOff': async (input) => {
      const from = pairings.assertPaired(input.extension);
      return { jobs: await handOff(engine, from, input.items) };
    },
    'browser.openAdd': (input) => {
      const from = pairings.assertPaired(input.extension);
      const windows = hub.publish('addRequested', {
        revision: hub.revision,
        urls: input.urls,
        referrer: input.referrer ?? null,
        from: from.label,
      });
      return Promise.resolve({ windows });
    },
    'browser.recent': (input) => {
      pairings.assertPaired(input.extension);
      return Promise.resolve(recent(engine, input));
    },
    'browser.integrationStatus': () =>
      Promise.resolve(integrationStatus({ dataDir: engine.dataDir })),
    'browser.integrate': async (input) => {
      const request = { dataDir: engine.dataDir, browsers: [...INTEGRATION_BROWSERS] };
      if (input.install) await installIntegration(request);
      else await uninstallIntegration(request);
      return integrationStatus({ dataDir: engine.dataDir });
    },
  };
}

/**
 * Queues each download as its own job, started at once, in the default download folder:
 * named as the browser would have named it (sanitised, made unique), with the page as
 * Referer and the browser's Cookie and User-Agent as the job's custom headers, so a site that
 * checks them serves Ferry as it would have served the browser. (The engine drops Cookie on
 * a redirect to another origin, as browsers do.)
 *
 * Each job completes itself when transferred, unless the user turned `completeWhenDone` off.
 * All or nothing: when one item is refused, the jobs made for the earlier ones are cancelled
 * and removed from history again, and the error names the item.
 */
async function handOff(
  engine: Engine,
  from: PairedExtension,
  items: readonly HandOffItem[],
): Promise<{ jobId: string; localName: string }[]> {
  const folder = defaultDownloadFolder(engine.getAppSettings());
  try {
    mkdirSync(folder, { recursive: true });
  } catch (cause) {
    throw new FerryError(
      'INPUT_FOLDER_NOT_WRITABLE',
      'LOCAL_FILE',
      `Cannot create the download folder ${folder}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const taken = takenNames(engine);
  const { completeWhenDone } = engine.getAppSettings();
  const made: Job[] = [];
  const result: { jobId: string; localName: string }[] = [];
  try {
    for (const [index, item] of items.entries()) {
      try {
        const url = checkRemoteName(item.url);
        const localName = uniquePath(folder, sanitizeName(fileNameOf(item, url)), taken);
        taken.add(localName);
        const job = engine.createJob({
          displayName: baseName(localName).slice(0, MAX_DISPLAY_NAME_LENGTH),
          description: describeSource(from, item),
        });
        made.push(job);
        await job.setCustomHeaders(headerLines(item));
        // As a browser download would: the file shows under its name once it is in.
        await job.setTransferPolicy({ completeWhenTransferred: completeWhenDone });
        await job.addFile(url.href, localName);
        await job.resume();
        result.push({ jobId: job.getId(), localName });
      } catch (error) {
        throw itemError(error, index, items.length);
      }
    }
  } catch (error) {
    await Promise.all(made.map((job) => forget(engine, job)));
    throw error;
  }
  return result;
}

/** The browser's suggested name (its last path part only), else the URL's last segment. */
function fileNameOf(item: HandOffItem, url: URL): string {
  const suggested = item.fileName?.split(/[\\/]/).pop()?.trim() ?? '';
  return suggested !== '' ? suggested : nameFromUrl(url);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The job's description: where it came from, for the details pane. */
function describeSource(from: PairedExtension, item: HandOffItem): string {
  const page = item.referrer === undefined ? '' : ` (page ${item.referrer})`;
  return `From ${from.label}${page}`.slice(0, MAX_DESCRIPTION_LENGTH);
}

/** Referer, Cookie and User-Agent as "Name: value" custom header lines. */
function headerLines(item: HandOffItem): string[] {
  const lines: string[] = [];
  if (item.referrer !== undefined) lines.push(`Referer: ${item.referrer}`);
  if (item.cookie !== undefined && item.cookie !== '') lines.push(`Cookie: ${item.cookie}`);
  if (item.userAgent !== undefined && item.userAgent !== '') {
    lines.push(`User-Agent: ${item.userAgent}`);
  }
  return lines;
}

/** The error of one item, naming it when there were several. */
function itemError(error: unknown, index: number, count: number): unknown {
  if (!(error instanceof FerryError) || count === 1) return error;
  return new FerryError(
    error.code,
    error.context,
    `Download ${index + 1} of ${count}: ${error.message}`,
    { cause: error },
  );
}

/** Cancels a job made by a refused hand-off and removes it from history, best effort. */
async function forget(engine: Engine, job: Job): Promise<void> {
  try {
    await job.cancel();
    engine.parsed.removeFromHistory(job.id);
  } catch {
    // Already gone or final: nothing is left to undo.
  }
}

/** The newest jobs, live ones and those in history, for the extension's popup. */
function recent(engine: Engine, input: ParsedInput<'browser.recent'>): RecentDownload[] {
  // JobInfo only: the popup asks every second while open, and needs no file lists.
  const live = engine.parsed.enumJobs(false).map((job) => job.info());
  const done = engine.history().filter((job) => job.owner === engine.user);
  return [...live, ...done]
    .sort((a, b) => b.times.creationTime - a.times.creationTime)
    .slice(0, input.limit)
    .map((job) => ({
      jobId: job.id,
      name: job.displayName,
      state: job.state,
      bytesTransferred: job.progress.bytesTransferred,
      bytesTotal: job.progress.bytesTotal,
    }));
}
