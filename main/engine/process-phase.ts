import { readFileSync } from 'node:fs';

/**
 * Where a process is in its life, as far as the OS lets another process tell.
 *
 * - `running`: alive and not on its way out.
 * - `exiting`: killed or exiting, but not gone: its open files (and the locks on them) may still
 *   be held for a moment, longer for a large process whose memory the kernel is tearing down.
 * - `gone`: no such process.
 * - `unknown`: it exists, but this platform does not say whether it is exiting.
 */
export type ProcessPhase = 'running' | 'exiting' | 'gone' | 'unknown';

/** PF_EXITING in the flags field of /proc/<pid>/stat: the task has entered do_exit. */
const PF_EXITING = 0x4;
/** SIGKILL's bit in the pending-signal masks of /proc/<pid>/status. */
const SIGKILL_BIT = 1n << 8n;

/**
 * The phase of `pid`.
 *
 * On Linux /proc tells it: a zombie or dead state, the PF_EXITING flag, or a SIGKILL pending
 * for the process or its leader thread all mean it is on its way out. Elsewhere a live
 * process is `unknown`, and callers give it a short grace instead.
 */
export function processPhase(pid: number): ProcessPhase {
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'gone';
  if (process.platform === 'linux') {
    const phase = linuxPhase(pid);
    if (phase !== null) return phase;
  }
  try {
    process.kill(pid, 0);
    return 'unknown';
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'unknown' : 'gone';
  }
}

/** Reads /proc; null when /proc cannot answer (not mounted, hidden pids). */
function linuxPhase(pid: number): ProcessPhase | null {
  let stat: string;
  let status: string;
  try {
    stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const flags = Number(fields[6]);
  if (state === undefined || !Number.isSafeInteger(flags)) return null;
  if (state === 'Z' || state === 'X' || state === 'x' || (flags & PF_EXITING) !== 0) {
    return 'exiting';
  }
  return pendingMask(status, 'ShdPnd') & SIGKILL_BIT || pendingMask(status, 'SigPnd') & SIGKILL_BIT
    ? 'exiting'
    : 'running';
}

function pendingMask(status: string, field: string): bigint {
  const match = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status);
  return match?.[1] === undefined ? 0n : BigInt(`0x${match[1]}`);
}
