import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

/**
 * The identity of the running boot of this machine, for durability by boot
 * (file-watermarks.ts): bytes written but not synced are trusted only within the boot that
 * wrote them.
 *
 * Linux gives each boot a random UUID (/proc/sys/kernel/random/boot_id). Elsewhere the boot
 * time stands in for it: now minus the uptime, rounded to a minute so that clock jitter between
 * two reads of the same boot does not make them differ. A clock changed by more than that
 * between two runs of one boot reads as a new boot, which only costs re-fetching the unsynced
 * bytes, never trusting bytes a reboot lost.
 */
export function currentBootId(): string {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    if (id !== '') return `linux:${id}`;
  } catch {
    // Not Linux, or /proc is not mounted: fall back to the boot time.
  }
  const bootedAt = Date.now() - uptime() * 1000;
  return `boot-time:${Math.round(bootedAt / 60_000)}`;
}
