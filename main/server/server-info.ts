import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `<dataDir>/server.json`: how the CLI finds the server running on a data directory.
 *
 * Written by `startRpcServer` once it listens (so the CLI finds `ferry serve` and the desktop
 * app alike), removed when it closes. It holds no secret (the token
 * stays in `rpc-token`), so a stale file after a crash is harmless: a reader checks that `pid`
 * is alive, and the engine lock is the real arbiter of who owns the directory.
 */
export const SERVER_INFO_FILE = 'server.json';

/** The contents of `server.json`. */
export interface ServerInfo {
  readonly pid: number;
  readonly port: number;
  /** The UI's address without the token, e.g. `http://127.0.0.1:17489/`. */
  readonly url: string;
}

/** Writes `server.json` atomically (temporary file, then rename). */
export function writeServerInfoSync(dataDir: string, info: ServerInfo): void {
  const path = join(dataDir, SERVER_INFO_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Reads `server.json`; null when absent or not a server record. */
export function readServerInfoSync(dataDir: string): ServerInfo | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, SERVER_INFO_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { pid, port, url } = parsed as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || !Number.isSafeInteger(port) || typeof url !== 'string') {
    return null;
  }
  return { pid: pid as number, port: port as number, url };
}

/** Removes `server.json` if it still describes this server (a newer one may own it). */
export function removeServerInfoSync(dataDir: string, port: number): void {
  const info = readServerInfoSync(dataDir);
  if (info?.pid !== process.pid || info.port !== port) return;
  rmSync(join(dataDir, SERVER_INFO_FILE), { force: true });
}
