import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import contentDisposition from 'content-disposition';
import sanitize from 'sanitize-filename';
import { stripBidiControls } from '../../app/index.js';

/**
 * How a download is named on disk: the name a server or URL proposes, made safe for every
 * platform and free beside the other files. The plan (before a job exists) and the engine (at
 * a file's first response, when its name is the server's to give) both name files here.
 */

/** Name used when neither the server nor the URL gives one. */
const FALLBACK_NAME = 'download';

/** Longest file name most file systems take, in bytes (UTF-8). */
const MAX_NAME_BYTES = 255;

/** Longest extension kept whole when a name is shortened; a longer one is not an extension. */
const MAX_EXTENSION_BYTES = 32;

/** Device names Windows reserves, with or without an extension. */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i;

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

/** The filename a Content-Disposition header proposes (filename* preferred), or null. */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (header === null || header === undefined) return null;
  try {
    const name = contentDisposition.parse(header).parameters['filename'];
    return typeof name === 'string' && name.length > 0 ? name : null;
  } catch {
    return null;
  }
}

/**
 * The name a response gives a file, as browsers, curl -J and wget choose it: the
 * Content-Disposition filename, else the last path segment of the URL after redirects, else of
 * the URL asked for; sanitised.
 */
export function responseFileName(
  disposition: string | null | undefined,
  finalUrl: string,
  remoteUrl: string,
): string {
  const candidates = [
    fileNameFromDisposition(disposition),
    segmentOf(finalUrl),
    segmentOf(remoteUrl),
  ];
  const found = candidates.find((name): name is string => name !== null && name !== '');
  return sanitizeName(found ?? '');
}

function segmentOf(url: string): string | null {
  try {
    return nameFromUrl(new URL(url));
  } catch {
    return null;
  }
}

/**
 * A name safe on Windows, macOS and Linux: no separators, reserved characters or names, no
 * control characters, no leading dots (hidden files) and at most 255 bytes (shortened before
 * its extension); empty results become "download".
 *
 * Bidirectional controls are removed rather than replaced: a server's "invoice\u202Egpj.exe"
 * displays as "invoiceexe.jpg" in a file manager, so the saved name must read as it is.
 */
export function sanitizeName(name: string): string {
  let proposed = stripBidiControls(name).replace(/[/\\]/g, '_');
  // The library replaces a Windows device name ("CON.txt", "nul") whole by "_": a prefix keeps
  // the name readable and its extension.
  if (WINDOWS_DEVICE_NAME.test(proposed)) proposed = `_${proposed}`;
  // The library cuts a long name at its end, extension and all: shorten the stem instead, so
  // the extension (what opens the file) survives.
  if (Buffer.byteLength(proposed) > MAX_NAME_BYTES) {
    const { stem, ext } = splitExtension(proposed);
    if (Buffer.byteLength(ext) <= MAX_EXTENSION_BYTES) proposed = withinNameLimit(stem, ext);
  }
  const cleaned = sanitize(proposed, { replacement: '_' })
    .replace(/^[.\s]+/, '')
    .trim();
  return cleaned.length > 0 ? cleaned : FALLBACK_NAME;
}

/** "a.tar.gz" is "a" and ".tar.gz", as browsers split it, not "a.tar" and ".gz". */
function splitExtension(name: string): { stem: string; ext: string } {
  const compound = /\.tar\.[^.]+$/i.exec(name);
  const ext = compound !== null && compound.index > 0 ? compound[0] : extname(name);
  return { stem: name.slice(0, name.length - ext.length), ext };
}

/**
 * `folder/name`, or `folder/stem (n).ext` with the smallest n that is free: not on disk, and
 * not in `taken` (the final paths of live jobs' files).
 */
export function uniquePath(
  folder: string,
  name: string,
  taken: { has(path: string): boolean },
): string {
  // "a.tar.gz" becomes "a (2).tar.gz", as browsers do, not "a.tar (2).gz".
  const { stem, ext } = splitExtension(name);
  for (let n = 1; ; n++) {
    const candidate = join(folder, n === 1 ? name : withinNameLimit(stem, ` (${n})${ext}`));
    if (!taken.has(candidate) && !existsSync(candidate)) return candidate;
  }
}

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
