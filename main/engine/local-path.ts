import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError } from '../../app/index.js';

/** The URL schemes a job can fetch from. */
export const SUPPORTED_SCHEMES: readonly string[] = ['http:', 'https:', 'file:'];

/**
 * Checks a remote name: an http(s) URL, or a file: URL naming a local or mounted path.
 *
 * Throws INPUT_INVALID_URL or INPUT_UNSUPPORTED_SCHEME naming the URL.
 */
export function checkRemoteName(remoteUrl: string): URL {
  let url: URL;
  try {
    url = new URL(remoteUrl);
  } catch {
    throw new FerryError(
      'INPUT_INVALID_URL',
      'GENERAL_QUEUE_MANAGER',
      `'${remoteUrl}' is not a valid URL`,
    );
  }
  if (!SUPPORTED_SCHEMES.includes(url.protocol)) {
    throw new FerryError(
      'INPUT_UNSUPPORTED_SCHEME',
      'GENERAL_QUEUE_MANAGER',
      `Unsupported URL scheme '${url.protocol}' in '${remoteUrl}': use http:, https: or file:`,
    );
  }
  if (url.protocol === 'file:') {
    try {
      fileURLToPath(url);
    } catch {
      throw new FerryError(
        'INPUT_INVALID_URL',
        'GENERAL_QUEUE_MANAGER',
        `'${remoteUrl}' does not name a path on this machine`,
      );
    }
  } else if (url.hostname === '') {
    throw new FerryError(
      'INPUT_INVALID_URL',
      'GENERAL_QUEUE_MANAGER',
      `'${remoteUrl}' has no host`,
    );
  }
  return url;
}

/**
 * Checks a local name: absolute, in an existing writable folder, and not a folder itself.
 *
 * Returns the normalised path. Uniqueness within the job is the caller's check.
 */
export function checkLocalName(localName: string): string {
  if (!isAbsolute(localName)) {
    throw new FerryError(
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
      'LOCAL_FILE',
      `Local name '${localName}' must be an absolute path`,
    );
  }
  const path = resolve(localName);
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    accessSync(folder, constants.W_OK);
  } catch {
    throw new FerryError(
      'INPUT_FOLDER_NOT_WRITABLE',
      'LOCAL_FILE',
      `Folder '${folder}' for '${basename(path)}' does not exist or is not writable`,
    );
  }
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory() === true) {
    throw new FerryError(
      'INPUT_FOLDER_NOT_WRITABLE',
      'LOCAL_FILE',
      `Local name '${path}' is a folder, not a file name`,
    );
  }
  return path;
}

/** Longest file name, in bytes, that Linux, macOS and Windows all accept. */
const MAX_NAME_BYTES = 255;

/**
 * The temporary name of a file: hidden, beside its destination, unique per job and file.
 *
 * Beside the destination so that Complete is a same-folder (atomic) rename. The job part is
 * 16 hex digits of its GUID (64 bits, so two jobs never share a temporary name in practice),
 * and the original name is shortened, whole characters at a time, to keep the result within
 * 255 bytes.
 */
export function tempNameFor(localName: string, jobId: string, index: number): string {
  const suffix = `.${jobId.replace(/-/g, '').slice(0, 16)}-${index}.ferry-part`;
  const room = MAX_NAME_BYTES - 1 - Buffer.byteLength(suffix);
  let base = '';
  let bytes = 0;
  for (const char of basename(localName)) {
    bytes += Buffer.byteLength(char);
    if (bytes > room) break;
    base += char;
  }
  return join(dirname(localName), `.${base}${suffix}`);
}
