import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../../app/index.js';
import { TOKEN_FILE } from '../server/auth.js';
import { readServerInfoSync } from '../server/server-info.js';
import type { ServerInfo } from '../server/server-info.js';

/** What `<dataDir>/server.json` says about the server of a data directory. */
export type ServerRecord = ServerInfo;

/**
 * Reads `<dataDir>/server.json`, or null when there is none (no server ever ran, or it
 * stopped cleanly) or it is unreadable (a server killed mid-write): either way, no usable one.
 */
export function readServerRecord(dataDir: string): ServerRecord | null {
  return readServerInfoSync(dataDir);
}

/** Reads the access token from `<dataDir>/rpc-token`; a missing one is an auth failure. */
export function readToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new FerryError(
      'RPC_UNAUTHORIZED',
      'GENERAL_QUEUE_MANAGER',
      `Cannot read the access token ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Whether a process with this pid exists (a stale record names a dead one). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
