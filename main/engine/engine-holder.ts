import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `<dataDir>/engine-holder.json`: who holds the data directory's engine lock, for messages
 * only.
 *
 * The lock itself is engine-lock.ts's; this file never decides anything. It is read only
 * after the lock was found taken, to say which process holds it and whether that process is
 * shutting down. A holder killed outright leaves the file behind, naming a pid that may later
 * belong to anything else: that is harmless, since nobody reads it while the lock is free.
 */
export const ENGINE_HOLDER_FILE = 'engine-holder.json';

/** `running` while the engine works; `closing` once its close has begun. */
export type HolderState = 'running' | 'closing';

const holderSchema = z.object({
  pid: z.number().int().positive(),
  state: z.enum(['running', 'closing']),
  since: z.string(),
});

/** What the holder says about itself. */
export type EngineHolder = z.infer<typeof holderSchema>;

/** Writes this process as the holder (temporary file, then rename: never half-written). */
export function writeEngineHolder(dataDir: string, state: HolderState): void {
  const path = join(dataDir, ENGINE_HOLDER_FILE);
  const temp = `${path}.${String(process.pid)}.tmp`;
  const holder: EngineHolder = { pid: process.pid, state, since: new Date().toISOString() };
  writeFileSync(temp, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** The recorded holder, or null when there is none or the file is not one. */
export function readEngineHolder(dataDir: string): EngineHolder | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, ENGINE_HOLDER_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the record if it names this process (called while still holding the lock). */
export function removeEngineHolder(dataDir: string): void {
  if (readEngineHolder(dataDir)?.pid !== process.pid) return;
  rmSync(join(dataDir, ENGINE_HOLDER_FILE), { force: true });
}
