import { readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FolderListing, ParsedInput } from '../../app/index.js';
import { FerryError } from '../../app/index.js';

/** Most sub-folders one listing returns (a huge folder is cut, and says so). */
const MAX_ENTRIES = 2_000;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `folders.list`: the sub-folders of a folder on the host, for the add dialog's folder picker
 * in a browser (the desktop app uses the system's dialog). Only the user's home folder and
 * what is under it can be browsed (symbolic links are followed, then checked), so a page that
 * got the token learns nothing of the rest of the disk; hidden folders are left out.
 */
export async function listFolder(
  input: ParsedInput<'folders.list'>,
  home: string = homedir(),
): Promise<FolderListing> {
  const root = await realpath(home);
  const asked = input.path === '' ? root : resolve(input.path);
  if (!isAbsolute(input.path === '' ? root : input.path)) {
    throw new FerryError(
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
      'LOCAL_FILE',
      `The folder must be an absolute path, not '${input.path}'`,
    );
  }
  let path: string;
  try {
    path = await realpath(asked);
  } catch {
    throw new FerryError('DISK_PATH_INVALID', 'LOCAL_FILE', `There is no folder ${asked}`);
  }
  if (!inside(root, path)) {
    throw new FerryError(
      'DISK_ACCESS_DENIED',
      'LOCAL_FILE',
      `Only folders in ${root} can be browsed, not ${path}`,
    );
  }
  const entries = await readdir(path, { withFileTypes: true }).catch((error: unknown) => {
    throw new FerryError(
      'DISK_ACCESS_DENIED',
      'LOCAL_FILE',
      `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  return {
    path,
    parent: path === root ? null : dirname(path),
    home: root,
    separator: sep,
    folders: folders.slice(0, MAX_ENTRIES).map((name) => ({ name, path: join(path, name) })),
    truncated: folders.length > MAX_ENTRIES,
  };
}
