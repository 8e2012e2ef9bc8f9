import type { JobId } from '../../app/model/ids.js';
import type { JobInfo } from '../../app/model/job.js';

/**
 * Aggregate download speed from successive job snapshots, since jobs report bytes, not speed.
 *
 * Each sample adds the bytes every job gained since the previous sample (a job seen for the
 * first time, or whose count went down after a restart or a file replacement, adds nothing),
 * and the speed is the bytes gained over a sliding window divided by its duration.
 */
export class SpeedMeter {
  private readonly lastBytes = new Map<JobId, number>();
  private readonly gains: { at: number; bytes: number }[] = [];
  private firstAt: number | null = null;

  /** @param windowMs how far back the average reaches (default 3 s). */
  constructor(private readonly windowMs = 3000) {}

  /** Records the jobs as seen at `now` (milliseconds, any monotonic clock). */
  sample(jobs: readonly JobInfo[], now: number): void {
    let gained = 0;
    const seen = new Set<JobId>();
    for (const job of jobs) {
      seen.add(job.id);
      const before = this.lastBytes.get(job.id);
      const bytes = job.progress.bytesTransferred;
      if (before !== undefined && bytes > before) gained += bytes - before;
      this.lastBytes.set(job.id, bytes);
    }
    for (const id of [...this.lastBytes.keys()]) if (!seen.has(id)) this.lastBytes.delete(id);
    this.firstAt ??= now;
    this.gains.push({ at: now, bytes: gained });
    this.prune(now);
  }

  /** Bytes per second over the window ending at `now`; 0 before two samples. */
  bytesPerSecond(now: number): number {
    this.prune(now);
    if (this.firstAt === null) return 0;
    const span = Math.min(this.windowMs, now - this.firstAt);
    if (span <= 0) return 0;
    const bytes = this.gains.reduce((sum, gain) => sum + gain.bytes, 0);
    return (bytes * 1000) / span;
  }

  private prune(now: number): void {
    while (this.gains.length > 0 && (this.gains[0]?.at ?? now) <= now - this.windowMs) {
      this.gains.shift();
    }
  }
}
