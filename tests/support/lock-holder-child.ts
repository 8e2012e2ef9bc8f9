// A process that holds a data directory's engine lock (main/engine/engine-lock.ts), for tests
// of what another process sees. Run through spawnJsonLineChild with one JSON argument
// (LockHolderConfig). Prints {"held": pid} once it holds the lock, then, as configured, marks
// itself closing and lets go, or writes a server record; it holds the lock until killed or
// until its stdin (a pipe from the test) ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireEngineLock } from '../../main/engine/engine-lock.js';

export interface LockHolderConfig {
  readonly dataDir: string;
  /** Mark the lock `closing` at once and release it this many ms later. */
  readonly closeAfterMs?: number;
  /** Write a `server.json` naming this process this many ms after taking the lock. */
  readonly serverRecordAfterMs?: number;
}

/** What the child prints. */
export type LockHolderLine = { readonly held: number } | { readonly released: true };

const config = JSON.parse(process.argv[2] ?? '{}') as LockHolderConfig;
const lock = acquireEngineLock(config.dataDir);
// Closing is marked before the test hears of the lock, so it never sees a running holder.
if (config.closeAfterMs !== undefined) lock.closing();
process.stdout.write(`${JSON.stringify({ held: process.pid })}\n`);

if (config.closeAfterMs !== undefined) {
  setTimeout(() => {
    lock.release();
    process.stdout.write(`${JSON.stringify({ released: true })}\n`);
    process.exit(0);
  }, config.closeAfterMs);
}
if (config.serverRecordAfterMs !== undefined) {
  setTimeout(() => {
    const record = { pid: process.pid, port: 40404, url: 'http://127.0.0.1:40404/' };
    writeFileSync(join(config.dataDir, 'server.json'), JSON.stringify(record));
  }, config.serverRecordAfterMs);
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
