import { accessSync, constants, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError, localNameProblem } from '../../app/index.js';
import { errorText } from './error-chain.js';

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
      `remoteUrl '${remoteUrl}' is not a valid URL`,
    );
  }
  if (!SUPPORTED_SCHEMES.includes(url.protocol)) {
    throw new FerryError(
      'INPUT_UNSUPPORTED_SCHEME',
      'GENERAL_QUEUE_MANAGER',
      `remoteUrl '${remoteUrl}' has the unsupported scheme '${url.protocol}': use http:, https: or file:`,
    );
  }
  if (url.protocol === 'file:') {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      throw new FerryError(
        'INPUT_INVALID_URL',
        'GENERAL_QUEUE_MANAGER',
        `remoteUrl '${remoteUrl}' does not name a path on this machine`,
      );
    }
    const problem = sourceFileProblem(path);
    if (problem !== null) {
      throw new FerryError(
        'INPUT_INVALID_URL',
        'GENERAL_QUEUE_MANAGER',
        `remoteUrl '${remoteUrl}' ${problem}`,
      );
    }
  } else if (url.hostname === '') {
    throw new FerryError(
      'INPUT_INVALID_URL',
      'GENERAL_QUEUE_MANAGER',
      `remoteUrl '${remoteUrl}' has no host`,
    );
  }
  return url;
}

/**
 * Why a file: source cannot be copied, or null: a device or pseudo-file (`/dev/zero` never
 * ends, `/proc` files lie about their size) or, when it exists already, anything but a
 * regular file. A source that does not exist yet (a share not mounted) is left to the transfer.
 */
function sourceFileProblem(path: string): string | null {
  const real = realPathOrSelf(path);
  const device = localNameProblem(real);
  if (device !== null) return `names a device or pseudo-file: it ${device}`;
  const stat = statSync(real, { throwIfNoEntry: false });
  if (stat === undefined) return null;
  if (stat.isDirectory()) return 'names a folder, not a file';
  if (!stat.isFile()) return 'names a device, pipe or socket, not a file';
  return null;
}

/** The path with every symbolic link resolved, as far as it exists. */
function realPathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether `path` is `folder` or inside it (both already real paths). */
function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Checks the file an upload job sends (its local name): an absolute path to a regular file
 * that can be read now, outside Ferry's data directory (uploading `ferry.db` or the key file
 * would hand Ferry's secrets to a server). Returns its size and modification time, which the
 * upload compares before every run (a change is BG_E_LOCAL_FILE_CHANGED), or throws
 * INPUT_SOURCE_NOT_READABLE naming the file and why.
 */
export function checkUploadSource(
  localName: string,
  dataDir: string,
): { readonly size: number; readonly mtimeMs: number } {
  const unreadable = (why: string): FerryError =>
    new FerryError(
      'INPUT_SOURCE_NOT_READABLE',
      'LOCAL_FILE',
      `Cannot upload '${localName}': ${why}`,
    );
  if (!isAbsolute(localName)) throw unreadable('the file to upload must be an absolute path');
  const path = resolve(localName);
  if (isInside(realPathOrSelf(path), realPathOrSelf(dataDir))) {
    throw unreadable("it is inside Ferry's data directory");
  }
  let stats;
  try {
    stats = statSync(path);
    accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw unreadable(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'it is not readable'
          : `it cannot be read (${String(code)})`,
    );
  }
  if (!stats.isFile()) throw unreadable('it is not a regular file');
  return { size: stats.size, mtimeMs: stats.mtimeMs };
}

/**
 * Checks a local name: absolute, in an existing writable folder, and not a folder itself.
 *
 * Also refused, as INPUT_INVALID naming `localName`: a name whose folder (symbolic links
 * resolved) is Ferry's data directory or inside it (completing a job into `rpc-token` would
 * replace the token and lock every client out), is under /dev, /proc or /sys, or an existing
 * device, pipe or socket. Returns the normalised path. Uniqueness within the job and among
 * other live jobs is the caller's check.
 */
export function checkLocalName(localName: string, dataDir: string): string {
  const problem = localNameProblem(localName);
  if (problem !== null) {
    throw new FerryError('INPUT_INVALID', 'LOCAL_FILE', `localName '${localName}' ${problem}`);
  }
  if (!isAbsolute(localName)) {
    throw new FerryError(
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
      'LOCAL_FILE',
      `localName '${localName}' must be an absolute path`,
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
      `localName '${path}': its folder '${folder}' does not exist or is not writable`,
    );
  }
  const realFolder = realPathOrSelf(folder);
  const realDataDir = realPathOrSelf(dataDir);
  if (isInside(realFolder, realDataDir)) {
    throw new FerryError(
      'INPUT_INVALID',
      'LOCAL_FILE',
      `localName '${path}' is inside Ferry's data directory '${dataDir}': choose another folder`,
    );
  }
  const device = localNameProblem(join(realFolder, basename(path)));
  if (device !== null) {
    throw new FerryError('INPUT_INVALID', 'LOCAL_FILE', `localName '${path}' ${device}`);
  }
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory() === true) {
    throw new FerryError(
      'INPUT_FOLDER_NOT_WRITABLE',
      'LOCAL_FILE',
      `localName '${path}' is a folder, not a file name`,
    );
  }
  if (existing !== undefined && !existing.isFile() && !existing.isSymbolicLink()) {
    throw new FerryError(
      'INPUT_INVALID',
      'LOCAL_FILE',
      `localName '${path}' is a device, pipe or socket, not a file`,
    );
  }
  return path;
}

/** The path with its longest existing prefix's symbolic links resolved (the rest appended). */
function realPathOfNearest(path: string): string {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync(at), ...missing.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      missing.push(basename(at));
      at = parent;
    }
  }
}

/**
 * Makes sure a destination folder exists, creating it and its missing parents (`mkdir -p`, as
 * aria2c and wget do for their output folder); whether it had to be created.
 *
 * A folder that exists is left as it is (whether files may be saved there is `checkLocalName`'s
 * question, asked for each file). Refused before anything is created, as INPUT_INVALID naming
 * the folder: a relative path, a folder under /dev, /proc or /sys, or one that would be (symbolic
 * links resolved as far as the path exists) inside Ferry's data directory. A path that exists
 * and is not a folder, or that cannot be created, is INPUT_FOLDER_NOT_WRITABLE.
 */
export function ensureFolder(folder: string, dataDir: string): { path: string; created: boolean } {
  if (!isAbsolute(folder)) {
    throw new FerryError(
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
      'LOCAL_FILE',
      `The destination folder must be an absolute path, not '${folder}'`,
    );
  }
  const path = resolve(folder);
  let existing;
  try {
    existing = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw cannotCreate(path, error);
  }
  if (existing !== undefined) {
    if (existing.isDirectory()) return { path, created: false };
    throw new FerryError(
      'INPUT_FOLDER_NOT_WRITABLE',
      'LOCAL_FILE',
      `The destination '${path}' exists and is not a folder`,
    );
  }
  const device = localNameProblem(realPathOfNearest(path)) ?? localNameProblem(path);
  if (device !== null) {
    throw new FerryError('INPUT_INVALID', 'LOCAL_FILE', `The folder '${path}' ${device}`);
  }
  if (isInside(realPathOfNearest(path), realPathOrSelf(dataDir))) {
    throw new FerryError(
      'INPUT_INVALID',
      'LOCAL_FILE',
      `The folder '${path}' is inside Ferry's data directory '${dataDir}': choose another folder`,
    );
  }
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw cannotCreate(path, error);
  }
  return { path, created: true };
}

function cannotCreate(path: string, error: unknown): FerryError {
  return new FerryError(
    'INPUT_FOLDER_NOT_WRITABLE',
    'LOCAL_FILE',
    `Cannot create the folder '${path}': ${errorText(error)}`,
    { cause: error },
  );
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
