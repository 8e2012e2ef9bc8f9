import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import contentDisposition from 'content-disposition';
import sanitize from 'sanitize-filename';
import { fetch } from 'undici';
import type { AppSettings, ParsedInput, PlannedDownload } from '../../app/index.js';
import { FerryError, isFinalState, stripBidiControls, toErrorShape } from '../../app/index.js';
import type { Engine } from '../engine/index.js';
import { checkRemoteName, ensureFolder } from '../engine/index.js';

/** How long one HEAD request may take before the name falls back to the URL's. */
const PROBE_TIMEOUT_MS = 5_000;
/** HEAD requests in flight at once. */
const PROBE_CONCURRENCY = 8;
/** Name used when neither the server nor the URL gives one. */
const FALLBACK_NAME = 'download';

interface Probe {
  readonly fileName: string | null;
  readonly bytesTotal: number | null;
}

/**
 * Plans where each URL of a batch is saved: the add dialog and `ferry transfer` call this
 * before they create a job.
 *
 * The name comes from the server's Content-Disposition when it sends one (HEAD), else from the
 * URL's last path segment; it is sanitised for every platform, and made unique against files
 * on disk, files of live jobs (which appear on Complete) and the batch itself, by appending
 * " (2)", " (3)"… before the extension. Blank lines are skipped; a bad line is reported with
 * its reason and the others are still planned.
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
    'url' in entry && input.probe ? probe(entry.url) : null,
  );

  const taken = takenNames(engine);
  return checked.map((entry, i): PlannedDownload => {
    if (!('url' in entry))
      return { ok: false, input: entry.line, error: toErrorShape(entry.error) };
    const probed = probes[i] ?? null;
    const name = sanitizeName(probed?.fileName ?? nameFromUrl(entry.url));
    const localName = uniquePath(input.folder, name, taken);
    taken.add(localName);
    return {
      ok: true,
      remoteUrl: entry.url.href,
      localName,
      bytesTotal: probed?.bytesTotal ?? null,
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

/** The URL's last path segment, decoded; empty when the path ends with a slash. */
export function nameFromUrl(url: URL): string {
  if (url.protocol === 'file:') {
    const path = fileURLToPath(url);
    return path.slice(path.lastIndexOf('/') + 1);
  }
  const segment = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A name safe on Windows, macOS and Linux: no separators, reserved characters or names, no
 * control characters, no leading dots (hidden files) and at most 255 bytes; empty results
 * become "download".
 *
 * Bidirectional controls are removed rather than replaced: a server's "invoice\u202Egpj.exe"
 * displays as "invoiceexe.jpg" in a file manager, so the saved name must read as it is.
 */
export function sanitizeName(name: string): string {
  const cleaned = sanitize(stripBidiControls(name).replace(/[/\\]/g, '_'), { replacement: '_' })
    .replace(/^[.\s]+/, '')
    .trim();
  return cleaned.length > 0 ? cleaned : FALLBACK_NAME;
}

/** `folder/name`, or `folder/stem (n).ext` with the smallest n that is free. */
export function uniquePath(folder: string, name: string, taken: ReadonlySet<string>): string {
  // "a.tar.gz" becomes "a (2).tar.gz", as browsers do, not "a.tar (2).gz".
  const compound = /\.tar\.[^.]+$/i.exec(name);
  const ext = compound !== null && compound.index > 0 ? compound[0] : extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(folder, n === 1 ? name : withinNameLimit(stem, ` (${n})${ext}`));
    if (!taken.has(candidate) && !existsSync(candidate)) return candidate;
  }
}

/** Longest file name most file systems take, in bytes (UTF-8). */
const MAX_NAME_BYTES = 255;

/**
 * `stem + tail`, the stem shortened (whole characters) so the name stays within 255 bytes: a
 * name already at the limit would otherwise overflow with " (2)" and be refused.
 */
function withinNameLimit(stem: string, tail: string): string {
  const room = MAX_NAME_BYTES - Buffer.byteLength(tail);
  let kept = '';
  let bytes = 0;
  for (const char of stem) {
    bytes += Buffer.byteLength(char);
    if (bytes > room) break;
    kept += char;
  }
  return `${kept}${tail}`;
}

/** Asks the server for a file name and size; any failure just means "no hint". */
async function probe(url: URL): Promise<Probe | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'follow',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    return {
      fileName: fileNameFromDisposition(response.headers.get('content-disposition')),
      bytesTotal: Number.isSafeInteger(length) && length >= 0 ? length : null,
    };
  } catch {
    return null;
  }
}

/** The filename a Content-Disposition header proposes (filename* preferred), or null. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (header === null) return null;
  try {
    const name = contentDisposition.parse(header).parameters['filename'];
    return typeof name === 'string' && name.length > 0 ? name : null;
  } catch {
    return null;
  }
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
