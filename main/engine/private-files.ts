import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keeps the data directory private to its user: the folder 0700 and every file in it 0600.
 *
 * The store holds proxy credentials and custom headers (sealed, see secret-box.ts), the RPC
 * token and the paired browsers: none of it is for other local users. SQLite creates its
 * `-wal` and `-shm` files with the mode of the database file, so a database created 0600 keeps
 * its journals private too; earlier versions left everything 0644 in a 0755 folder, which
 * `securePrivateDirSync` fixes on every start.
 */

/** Mode of the data directory. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file in it. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` if needed and narrows it and everything inside (files 0600, folders 0700).
 *
 * Symbolic links are left alone (chmod would follow them out of the folder). Windows has no
 * POSIX modes: there the user's profile folder's ACL is what keeps the files private.
 */
export function securePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform === 'win32') return;
  narrow(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) securePrivateDirSync(path);
    else if (entry.isFile()) narrow(path, PRIVATE_FILE_MODE);
  }
}

/**
 * Creates `path` empty with mode 0600 if it does not exist, so whatever opens it next (SQLite)
 * finds a private file instead of creating one through the umask.
 */
export function ensurePrivateFileSync(path: string): void {
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (process.platform !== 'win32') narrow(path, PRIVATE_FILE_MODE);
}

function narrow(path: string, mode: number): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined || stat.isSymbolicLink()) return;
  if ((stat.mode & 0o777) !== mode) chmodSync(path, mode);
}
