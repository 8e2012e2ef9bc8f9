import Database from 'libsql';
import { dirname } from 'node:path';
import { FerryError } from '../../../app/errors.js';
import { errorText } from '../error-chain.js';
import { ensurePrivateFileSync, securePrivateDirSync } from '../private-files.js';
import { MIGRATIONS } from './migrations.js';

/** An open SQLite connection (libsql, with better-sqlite3's synchronous API). */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the store at `path`, in WAL mode, migrated to the latest schema.
 *
 * synchronous=FULL: a state change (e.g. ACKNOWLEDGED after the renames) must survive a power
 * cut, and commits are rare enough (checkpoints are at most a few per second) to afford it.
 */
export function openDatabase(path: string): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    securePrivateDirSync(dirname(path));
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm the same mode.
    ensurePrivateFileSync(path);
    db = new Database(path, { timeout: 5000 });
  } catch (cause) {
    throw new FerryError('STORE_FAILED', 'GENERAL_QUEUE_MANAGER', `Cannot open store ${path}`, {
      cause,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed, so a secret sealed in place leaves no clear copy.
    db.pragma('secure_delete = ON');
    migrate(db, path);
  } catch (cause) {
    db.close();
    if (cause instanceof FerryError) throw cause;
    throw new FerryError(
      'STORE_FAILED',
      'GENERAL_QUEUE_MANAGER',
      `Cannot use store ${path}: ${errorText(cause)}`,
      { cause },
    );
  }
  return db;
}

/** The schema version a database is at (`PRAGMA user_version`). */
export function schemaVersion(db: SqliteDatabase): number {
  // libsql ignores better-sqlite3's `{ simple: true }`, so read the row ourselves.
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

function migrate(db: SqliteDatabase, path: string): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new FerryError(
      'STORE_FAILED',
      'GENERAL_QUEUE_MANAGER',
      `Store ${path} has schema version ${current}, newer than this Ferry knows (${MIGRATIONS.length}); upgrade Ferry`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] ?? '';
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
