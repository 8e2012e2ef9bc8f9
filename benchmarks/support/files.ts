/**
 * Files the benchmark serves and downloads: generation, hashing, and one temporary root that is
 * always removed.
 *
 * Served files are random (incompressible, so no transport can cheat) and written once per run;
 * they are then read from the page cache, which is what scenario 1 asks for.
 */
import { createHash, randomFillSync } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file the server has, with the hash every download of it must match. */
export interface ServedFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Writes `size` random bytes to `dir/name` and returns its hash (computed while writing). */
export function generateFileSync(dir: string, name: string, size: number): ServedFile {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(size, 4 * 1024 * 1024));
  const fd = openSync(path, 'w');
  try {
    let left = size;
    while (left > 0) {
      const part = chunk.subarray(0, Math.min(left, chunk.length));
      randomFillSync(part);
      hash.update(part);
      let written = 0;
      while (written < part.length) written += writeSync(fd, part, written);
      left -= part.length;
    }
  } finally {
    closeSync(fd);
  }
  return { name, path, size, sha256: hash.digest('hex') };
}

/** The sha256 of a file, as hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** Thrown when a download does not match what was served: the run fails, it is not a number. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
}

/** Checks every downloaded file against what was served; throws VerificationError on the first bad one. */
export async function verifyDownloads(
  pairs: readonly { readonly served: ServedFile; readonly downloaded: string }[],
  who: string,
): Promise<void> {
  for (const { served, downloaded } of pairs) {
    let actual: string;
    try {
      actual = await sha256File(downloaded);
    } catch (cause) {
      throw new VerificationError(`${who}: ${served.name} was not downloaded (${String(cause)})`);
    }
    if (actual !== served.sha256) {
      throw new VerificationError(
        `${who}: ${served.name} has sha256 ${actual}, expected ${served.sha256}`,
      );
    }
  }
}

/** The benchmark's temporary root: served files and every download live under it. */
export interface TempRoot {
  readonly path: string;
  /** A fresh empty folder under the root. */
  dir(prefix: string): string;
  /** Removes a folder made by `dir` (downloads of 1 GiB are removed after each run). */
  remove(path: string): void;
  /** Removes everything; safe to call more than once. */
  cleanup(): void;
}

/** Creates the temporary root under the OS temp folder. */
export function createTempRoot(): TempRoot {
  const path = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  let counter = 0;
  return {
    path,
    dir(prefix) {
      counter += 1;
      const dir = join(path, `${prefix}-${counter}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    remove(dir) {
      rmSync(dir, { recursive: true, force: true });
    },
    cleanup() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
