import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { AppSettings, ParsedInput, PlannedDownload } from '../../app/index.js';
import { FerryError, isFinalState, toErrorShape } from '../../app/index.js';
import type { Engine, RemoteProbe } from '../engine/index.js';
import {
  checkRemoteName,
  ensureFolder,
  nameFromUrl,
  responseFileName,
  sanitizeName,
  uniquePath,
} from '../engine/index.js';

export { fileNameFromDisposition, nameFromUrl, sanitizeName, uniquePath } from '../engine/index.js';

/** Servers asked at once (each through the engine's connections). */
const PROBE_CONCURRENCY = 8;

/**
 * Plans where each URL of a batch is saved: the add dialog and `ferry transfer` call this
 * before they create a job.
 *
 * The name is a first guess: with `probe`, what the server answers to a one-byte GET made
 * through the engine's connections (its Content-Disposition, else the URL after redirects),
 * else the URL's last path segment. It is sanitised for every platform, and made unique against
 * files on disk, files of live jobs (which appear on Complete) and the batch itself, by
 * appending " (2)", " (3)"… before the extension. An http(s) entry says `nameFromServer`: added
 * so, the file's first response names it for good (see file-naming.ts), so the name is right
 * even when no probe was made or the server answers a probe differently. Blank lines are
 * skipped; a bad line is reported with its reason and the others are still planned.
 */
export async function planDownloads(
  engine: Engine,
  input: ParsedInput<'downloads.plan'>,
): Promise<PlannedDownload[]> {
  if (!isAbsolute(input.folder)) {
    throw new FerryError(
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
      'GENERAL_QUEUE_MANAGER',
      `The destination folder must be an absolute path, not '${input.folder}'`,
    );
  }
  if (input.createFolder) ensureFolder(input.folder, engine.dataDir);
  const lines = input.urls.map((line) => line.trim()).filter((line) => line.length > 0);
  const checked = lines.map(
    (line): { line: string; url: URL } | { line: string; error: unknown } => {
      try {
        return { line, url: checkRemoteName(line) };
      } catch (error) {
        return { line, error };
      }
    },
  );
  const probes = await mapLimited(checked, PROBE_CONCURRENCY, async (entry) =>
    'url' in entry && input.probe ? engine.probeRemote(entry.url.href) : null,
  );

  const taken = takenNames(engine);
  return checked.map((entry, i): PlannedDownload => {
    if (!('url' in entry))
      return { ok: false, input: entry.line, error: toErrorShape(entry.error) };
    const probed = probes[i] ?? null;
    const localName = uniquePath(input.folder, plannedName(entry.url, probed), taken);
    taken.add(localName);
    return {
      ok: true,
      remoteUrl: entry.url.href,
      localName,
      bytesTotal: probed?.bytesTotal ?? null,
      nameFromServer: entry.url.protocol === 'http:' || entry.url.protocol === 'https:',
    };
  });
}

/**
 * The folder downloads go to when none is named: the setting, else the XDG download folder
 * (XDG_DOWNLOAD_DIR), else ~/Downloads.
 */
export function defaultDownloadFolder(
  settings: AppSettings,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (settings.downloadFolder !== '') return settings.downloadFolder;
  const xdg = env['XDG_DOWNLOAD_DIR'];
  if (xdg !== undefined && isAbsolute(xdg)) return xdg;
  return join(homedir(), 'Downloads');
}

/** Final paths of every live job's files: they will appear there on Complete. */
export function takenNames(engine: Engine): Set<string> {
  const taken = new Set<string>();
  for (const job of engine.enumJobs({ allUsers: true })) {
    if (isFinalState(job.getState())) continue;
    for (const file of job.enumFiles()) taken.add(file.localName);
  }
  return taken;
}

/** The name a probe's answer gives, else the URL's own. */
function plannedName(url: URL, probed: RemoteProbe | null): string {
  if (probed === null) return sanitizeName(nameFromUrl(url));
  return responseFileName(probed.contentDisposition, probed.finalUrl, url.href);
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
