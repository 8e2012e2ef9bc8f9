// Whether a build target's output is older than its inputs, and a lock so that two processes
// (two test files, a test and `npm start`) never build the same target at the same time.
//
// A target is fresh when its stamp (dist/.build/<target>.json, written after a successful
// build) exists, its outputs exist, and no input file changed since the build STARTED (a file
// saved during a build makes the next check rebuild).
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Newest modification time (ms) of the files under `paths`; 0 when none exists. */
export function newestMtime(root, paths) {
  let newest = 0;
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name !== 'node_modules' && !name.startsWith('.')) visit(join(path, name));
      }
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

function stampPath(root, target) {
  return join(root, 'dist', '.build', `${target}.json`);
}

/** True when `target` needs no build: stamped, outputs present, no input newer than its start. */
export function isFresh(root, target) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(root, target.name), 'utf8'));
  } catch {
    return false;
  }
  if (typeof stamp?.startedAt !== 'number') return false;
  for (const output of target.outputs) {
    try {
      statSync(join(root, output));
    } catch {
      return false;
    }
  }
  return newestMtime(root, target.inputs) < stamp.startedAt;
}

/** Records a successful build of `target` that started at `startedAt` (ms). */
export function writeStamp(root, target, startedAt) {
  mkdirSync(join(root, 'dist', '.build'), { recursive: true });
  writeFileSync(stampPath(root, target.name), `${JSON.stringify({ startedAt })}\n`);
}

/** Forgets a target's stamp (before building it: a failed build must not look fresh). */
export function clearStamp(root, target) {
  rmSync(stampPath(root, target.name), { force: true });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error?.code === 'EPERM';
  }
}

/**
 * Runs `work` holding dist/.build/lock (a directory: mkdir is atomic). Waits while another
 * live process holds it; a lock left by a dead process is taken over.
 */
export async function withBuildLock(root, work, { timeoutMs = 300_000 } = {}) {
  const dir = join(root, 'dist', '.build');
  const lock = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // The holder is between mkdir and writing its pid: wait for it.
      }
      if (Number.isSafeInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`build: ${lock} is still held after ${timeoutMs / 1000} s`, {
          cause: error,
        });
      }
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
