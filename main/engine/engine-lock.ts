import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
 * lock left by a dead process (a crash, SIGKILL) is stale and taken over.
 */
export function acquireEngineLock(dataDir: string): EngineLock {
  const path = join(dataDir, 'engine.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        path,
        release: () => {
          if (readOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== null && owner !== process.pid && isAlive(owner)) {
        throw new FerryError(
          'ENGINE_LOCKED',
          'GENERAL_QUEUE_MANAGER',
          `Another Ferry engine (pid ${owner}) is using data directory ${dataDir}`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new FerryError(
    'ENGINE_LOCKED',
    'GENERAL_QUEUE_MANAGER',
    `Cannot take the lock on data directory ${dataDir}`,
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
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
