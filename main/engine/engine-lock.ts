import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../../app/index.js';

/** A held lock on a data directory; `release` gives it up. */
export interface EngineLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the one-engine-per-data-directory lock: a file holding the owner's pid.
 *
 * A second engine on the same directory is refused with a message naming the running one; a
 * lock left by a dead process (a crash, SIGKILL) is stale and taken over. Both steps are
 * atomic: the lock appears with its pid already in it (written aside, then hard-linked into
 * place), and a stale lock is renamed away and checked before it is deleted, so two engines
 * starting at once can never both win.
 */
export function acquireEngineLock(dataDir: string): EngineLock {
  const path = join(dataDir, 'engine.lock');
  if (heldHere.has(path)) throw lockedError(dataDir, process.pid);
  const mine = join(dataDir, `engine.lock.${process.pid}`);
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, path);
        heldHere.add(path);
        return {
          path,
          release: () => {
            if (!heldHere.delete(path)) return;
            if (readOwner(path) === process.pid) rmSync(path, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(path);
      if (owner !== null && isAlive(owner)) throw lockedError(dataDir, owner);
      removeStaleLock(path, owner, dataDir);
    }
    throw new FerryError(
      'ENGINE_LOCKED',
      'GENERAL_QUEUE_MANAGER',
      `Cannot take the lock on data directory ${dataDir}`,
    );
  } finally {
    rmSync(mine, { force: true });
  }
}

/**
 * Locks held by this process. A lock file naming our own pid that is not in here was left by
 * an earlier process that had the same pid (pid reuse after a crash), so it is stale.
 */
const heldHere = new Set<string>();

/** Moves a stale lock aside; if it turns out to be a fresh one, puts it back and refuses. */
function removeStaleLock(path: string, stalePid: number | null, dataDir: string): void {
  const aside = join(dataDir, `engine.lock.stale-${process.pid}`);
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const owner = readOwner(aside);
  if (owner !== stalePid && owner !== null && isAlive(owner)) {
    // Another engine took the lock between our check and the rename: give it back.
    try {
      linkSync(aside, path);
    } finally {
      rmSync(aside, { force: true });
    }
    throw lockedError(dataDir, owner);
  }
  rmSync(aside, { force: true });
}

function lockedError(dataDir: string, owner: number): FerryError {
  return new FerryError(
    'ENGINE_LOCKED',
    'GENERAL_QUEUE_MANAGER',
    `Another Ferry engine (pid ${owner}) is using data directory ${dataDir}`,
  );
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
