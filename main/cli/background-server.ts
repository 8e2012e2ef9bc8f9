import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError } from '../../app/index.js';
import { readEngineHolder } from '../engine/index.js';
import type { ServerRecord } from './server-record.js';
import { isProcessAlive, readServerRecord } from './server-record.js';

/**
 * The built CLI (`npm run build`), run as `ferry serve` for a background server. The path is
 * relative to this module, and resolves alike from main/cli/*.ts and from the bundle in
 * dist/cli/, so the server is always the built one, whether the CLI runs built (bin/ferry.js,
 * the packaged app) or from source in a test.
 */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/ferry.mjs', import.meta.url));

/** Log of a background server, inside its data directory. */
export const SERVER_LOG_FILE = 'server.log';

/** How long a background server may take to come up before the CLI gives up. */
const START_TIMEOUT_MS = 20_000;
const POLL_MS = 50;
/**
 * How long to wait for the record of another engine that holds the data directory's lock
 * after the server started here gave way to it: that engine is between taking the lock and
 * listening. Short, because a desktop app with its RPC endpoint turned off never writes one.
 */
const LOCK_HOLDER_GRACE_MS = 5_000;

/**
 * Starts `ferry serve` for a data directory as a detached background process and waits, for
 * a bounded time, until it has written its `server.json`.
 *
 * The server outlives this CLI (stdio goes to `<dataDir>/server.log`, not to our terminal).
 * When two CLIs race to start one, the loser's server stops on the engine lock; the loser
 * then waits (briefly) for the lock holder's record and uses it, even when its own server
 * stopped before the winner had written one.
 */
export async function startBackgroundServer(
  dataDir: string,
  port: number | undefined,
): Promise<ServerRecord> {
  mkdirSync(dataDir, { recursive: true });
  const logPath = join(dataDir, SERVER_LOG_FILE);
  // The server prints its URL with the token: the log is as private as rpc-token.
  const log = openSync(logPath, 'a', 0o600);
  if (process.platform !== 'win32') chmodSync(logPath, 0o600);
  if (!existsSync(BUILT_CLI)) {
    throw unreachable(dataDir, `the built CLI ${BUILT_CLI} is missing (run 'npm run build')`);
  }
  const args = [BUILT_CLI, 'serve', '--data-dir', dataDir];
  if (port !== undefined) args.push('--port', String(port));
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    windowsHide: true,
  });
  closeSync(log);
  // An object, not a let: the loop below reads what the listeners set.
  const started = { exited: false };
  child.once('exit', () => {
    started.exited = true;
  });
  child.once('error', () => {
    started.exited = true;
  });
  child.unref();

  const deadline = Date.now() + START_TIMEOUT_MS;
  let holderDeadline: number | null = null;
  while (Date.now() < deadline) {
    const record = readServerRecord(dataDir);
    if (record !== null && isProcessAlive(record.pid)) {
      if (record.pid === child.pid || started.exited) return record;
    }
    if (started.exited && (record === null || !isProcessAlive(record.pid))) {
      const holder = lockHolder(dataDir, child.pid);
      if (holder === null) {
        throw unreachable(dataDir, `the server it started stopped: ${lastLine(logPath)}`);
      }
      // Another engine won the data directory and may not be listening yet: wait for it.
      holderDeadline ??= Date.now() + LOCK_HOLDER_GRACE_MS;
      if (Date.now() >= holderDeadline) {
        throw unreachable(
          dataDir,
          `another Ferry engine (pid ${String(holder)}) holds it but runs no RPC endpoint`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (child.pid !== undefined && !started.exited) child.kill();
  throw unreachable(
    dataDir,
    `no server came up within ${String(START_TIMEOUT_MS / 1000)} s (see ${logPath})`,
  );
}

function unreachable(dataDir: string, why: string): FerryError {
  return new FerryError(
    'RPC_UNREACHABLE',
    'GENERAL_QUEUE_MANAGER',
    `Cannot start a Ferry server for ${dataDir}: ${why}`,
  );
}

/**
 * The live pid that says it holds the data directory's engine lock, other than `own`; null if
 * none. Only consulted once the server started here has stopped (on that lock, presumably).
 */
function lockHolder(dataDir: string, own: number | undefined): number | null {
  const pid = readEngineHolder(dataDir)?.pid;
  if (pid === undefined || pid === own || pid === process.pid) return null;
  return isProcessAlive(pid) ? pid : null;
}

/** The last non-empty line of the server's log, to say why it stopped. */
function lastLine(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    return lines.at(-1) ?? 'no output';
  } catch {
    return 'no output';
  }
}
