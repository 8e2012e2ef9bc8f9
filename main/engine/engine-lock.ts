import Database from 'libsql';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../../app/index.js';
import { readEngineHolder, removeEngineHolder, writeEngineHolder } from './engine-holder.js';
import type { EngineHolder } from './engine-holder.js';
import { processPhase } from './process-phase.js';

/**
 * The lock file of a data directory: an empty SQLite database that the engine keeps in an
 * exclusive transaction for as long as it runs.
 *
 * SQLite locks it with the OS's own file locks (POSIX fcntl locks on Linux and macOS,
 * LockFileEx on Windows), so the kernel releases the lock when the holder dies, however it
 * dies: no pid is ever trusted, and a reused pid cannot block a start. libsql is already the
 * store's driver, so this needs no native module of its own, in Node and in Electron alike.
 *
 * POSIX caveat, and the reason this is a file of its own: a process loses its fcntl locks on
 * a file as soon as it closes *any* descriptor of that file. Nothing in the holding process
 * may open this file except through SQLite (which keeps such descriptors open while it holds
 * a lock); `engine-holder.json` carries what readers want to know instead.
 */
export const ENGINE_LOCK_FILE = 'engine-lock.db';

/** A held lock on a data directory. */
export interface EngineLock {
  readonly path: string;
  /** Says that the engine is shutting down, so a start meanwhile waits for it, not refuses. */
  closing(): void;
  /** Gives the lock up (idempotent). */
  release(): void;
}

export interface EngineLockOptions {
  /** How long a start waits for a holder that is exiting (default 10 s). */
  readonly exitWaitMs?: number;
  /** Told once, when a start has been waiting for a second. */
  readonly onWaiting?: (message: string) => void;
}

/**
 * Exiting holders usually let go within milliseconds; a SIGKILLed process with gigabytes
 * mapped takes most of a second, and a graceful close waits for transfers to stop.
 */
const EXIT_WAIT_MS = 10_000;
/**
 * A holder that cannot be judged (it has not recorded itself yet, its record is stale, or the
 * platform cannot tell an exiting process from a running one) gets this long to let go before
 * the start is refused.
 */
const UNSURE_GRACE_MS = 2_000;
const WAIT_MESSAGE_AFTER_MS = 1_000;
const POLL_MS = 20;

/**
 * Lock files held by this process, with their connections. Holding the connection here keeps
 * it reachable: a connection the garbage collector finalizes closes, and lets go of the lock,
 * even if its engine was merely dropped instead of closed. (SQLite would refuse a second
 * connection from this process too; this map lets the refusal say why.)
 */
const heldHere = new Map<string, Database.Database>();

/**
 * Takes the one-engine-per-data-directory lock.
 *
 * A live engine holding it gets the start refused at once with ENGINE_LOCKED, naming its pid.
 * A holder on its way out (killed, or closing) is waited for, up to `exitWaitMs`, with one
 * message after a second. The wait blocks the thread: the engine opens synchronously, and the
 * wait happens only when a predecessor is still exiting.
 */
export function acquireEngineLock(dataDir: string, options: EngineLockOptions = {}): EngineLock {
  const path = join(dataDir, ENGINE_LOCK_FILE);
  if (heldHere.has(path)) {
    throw locked(`This process already runs a Ferry engine on data directory ${dataDir}`);
  }
  const exitWaitMs = options.exitWaitMs ?? EXIT_WAIT_MS;
  const started = performance.now();
  let told = false;
  for (;;) {
    const db = tryLock(path);
    if (db !== null) return hold(dataDir, path, db);
    const { verdict, pid } = judge(readEngineHolder(dataDir));
    const named = pid === null ? '' : ` (pid ${String(pid)})`;
    const waited = performance.now() - started;
    if (verdict === 'live' || (verdict === 'unsure' && waited >= UNSURE_GRACE_MS)) {
      throw locked(`Another Ferry engine${named} is using data directory ${dataDir}`);
    }
    if (waited >= exitWaitMs) {
      throw locked(
        `The Ferry engine${named} on data directory ${dataDir} is exiting but has not let go ` +
          `of it after ${String(Math.round(exitWaitMs / 1000))} s`,
      );
    }
    if (!told && waited >= WAIT_MESSAGE_AFTER_MS) {
      told = true;
      options.onWaiting?.(
        verdict === 'exiting'
          ? `Waiting for the Ferry engine${named}, which is exiting, to let go of data directory ${dataDir}`
          : `Data directory ${dataDir} is locked by another Ferry engine${named}; waiting briefly for it to let go`,
      );
    }
    sleepSync(POLL_MS);
  }
}

/**
 * What a taken lock means.
 *
 * `live`: refuse now. `exiting`: wait up to the exit bound. `unsure`: wait a short grace; this
 * covers a holder that has taken the lock but not yet written its record (the record then
 * names the previous holder, or nobody), and platforms where /proc cannot tell.
 */
function judge(holder: EngineHolder | null): {
  readonly verdict: 'live' | 'exiting' | 'unsure';
  /** The holder's pid when it is worth naming (its process exists). */
  readonly pid: number | null;
} {
  // A record naming this process was left by an earlier process that had our pid.
  if (holder === null || holder.pid === process.pid) return { verdict: 'unsure', pid: null };
  const phase = processPhase(holder.pid);
  if (phase === 'gone') return { verdict: 'unsure', pid: null };
  const { pid } = holder;
  if (phase === 'exiting' || holder.state === 'closing') return { verdict: 'exiting', pid };
  return { verdict: phase === 'running' ? 'live' : 'unsure', pid };
}

/** Opens the lock file and takes its exclusive lock; null when another connection has it. */
function tryLock(path: string): Database.Database | null {
  let db: Database.Database;
  try {
    // timeout 0: a busy lock is reported at once, the waiting is done above.
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    throw cannotLock(path, error);
  }
  try {
    // The file holds no data: no journal beside it.
    db.exec('PRAGMA journal_mode = OFF');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) return null;
    throw cannotLock(path, error);
  }
}

function hold(dataDir: string, path: string, db: Database.Database): EngineLock {
  heldHere.set(path, db);
  const release = (): void => {
    if (!heldHere.delete(path)) return;
    try {
      removeEngineHolder(dataDir);
    } finally {
      // Closing the connection ends the transaction, and with it the OS lock.
      db.close();
    }
  };
  try {
    writeEngineHolder(dataDir, 'running');
    removeLegacyPidFiles(dataDir);
  } catch (error) {
    release();
    throw cannotLock(path, error);
  }
  return {
    path,
    closing() {
      if (!heldHere.has(path)) return;
      try {
        writeEngineHolder(dataDir, 'closing');
      } catch {
        // Only a start racing this close would notice: it refuses instead of waiting.
      }
    },
    release,
  };
}

/**
 * Removes the pid file of versions before the OS lock (`engine.lock`, and the names it used
 * while taking it over). Those versions trusted `kill(pid, 0)`; this one never reads them.
 */
function removeLegacyPidFiles(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (/^engine\.lock(\.(stale-)?\d+)?$/.test(name)) rmSync(join(dataDir, name), { force: true });
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function locked(message: string): FerryError {
  return new FerryError('ENGINE_LOCKED', 'GENERAL_QUEUE_MANAGER', message);
}

function cannotLock(path: string, error: unknown): FerryError {
  const reason = error instanceof Error ? error.message : String(error);
  const sysCode = (error as { code?: unknown } | null)?.code;
  return new FerryError(
    'STORE_FAILED',
    'GENERAL_QUEUE_MANAGER',
    `Cannot take the engine lock ${path}: ${reason}`,
    { cause: error, ...(typeof sysCode === 'string' ? { sysCode } : {}) },
  );
}

function sleepSync(ms: number): void {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  } catch {
    // A thread that may not block in Atomics.wait (or has no SharedArrayBuffer) spins instead;
    // this runs only while a predecessor is exiting.
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // spin
    }
  }
}
