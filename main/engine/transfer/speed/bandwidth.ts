import { setTimeout as delay } from 'node:timers/promises';
import type { EngineSettings, JobPriority, TransferPolicy } from '../../../../app/index.js';
import { activeSpeedLimit } from './speed-schedule.js';
import { TokenBucket, shareLimit } from './throttle.js';

/**
 * Share of a shared limit per priority: HIGH gets four times what LOW gets, and FOREGROUND
 * (which BITS runs before everything else) twice what HIGH gets of the global limit.
 */
const PRIORITY_WEIGHTS: Readonly<Record<JobPriority, number>> = {
  FOREGROUND: 8,
  HIGH: 4,
  NORMAL: 2,
  LOW: 1,
};

/** How often limits are re-read while transfers run (policy, priority, settings, schedule). */
const REFRESH_MS = 250;

/** What a throttled transfer calls after each chunk it receives. */
export interface Throttle {
  /** Takes `bytes`; returns the milliseconds to pause before reading more (0: go on). */
  take(bytes: number): number;
  /** Whether any limit applies now; when none does, chunks are handed on with no bookkeeping. */
  limited(): boolean;
}

/** A throttled chunk is paid for in steps of this size, so pauses stay short and even. */
const THROTTLE_STEP = 64 * 1024;

/**
 * Hands a received chunk on under a speed limit: in steps of THROTTLE_STEP, each paid for
 * (pausing as long as the limits ask) before it is handed on, so progress moves evenly even when
 * a paused stream delivers everything it buffered as one large chunk.
 *
 * With no limit in force the chunk is handed on at once, synchronously (no promise, no slicing):
 * this runs for every chunk of every transfer. Returns a promise only when the caller must wait.
 */
export function throttled(
  throttle: Throttle,
  chunk: Buffer,
  signal: AbortSignal,
  handOn: (slice: Buffer) => Promise<void> | undefined,
): Promise<void> | undefined {
  if (!throttle.limited()) return handOn(chunk);
  return paced(throttle, chunk, signal, handOn);
}

async function paced(
  throttle: Throttle,
  chunk: Buffer,
  signal: AbortSignal,
  handOn: (slice: Buffer) => Promise<void> | undefined,
): Promise<void> {
  for (let at = 0; at < chunk.length; at += THROTTLE_STEP) {
    const slice = chunk.subarray(at, Math.min(chunk.length, at + THROTTLE_STEP));
    const ms = throttle.take(slice.length);
    if (ms > 0) await delay(ms, undefined, { signal });
    const wait = handOn(slice);
    if (wait !== undefined) await wait;
  }
}

/** A running job's view of the limits; `release` when its run ends. */
export interface JobBandwidth extends Throttle {
  release(): void;
}

/** The job fields the limits depend on, read live (a change applies within REFRESH_MS). */
export interface ThrottledJob {
  readonly priority: JobPriority;
  readonly transferPolicy: TransferPolicy;
}

interface Entry {
  readonly job: ThrottledJob;
  /** The job's own limit. */
  readonly own: TokenBucket;
  /** Its share of the global limit, and of the background limit for background priorities. */
  readonly share: TokenBucket;
}

/**
 * The engine's speed limits: each job's own limit, the user's global limit shared by every
 * running job (FOREGROUND included), and BITS' background limit shared only by the
 * background priorities (HIGH, NORMAL, LOW); both shares go by priority weight.
 *
 * A running job registers once and all of its connections take from the same two buckets, so a
 * limit holds across connections and files. Limits are recomputed when a job starts or stops
 * and every REFRESH_MS while any runs, so `setTransferPolicy`, `setPriority`, `settings.set`
 * and a scheduled rule's start or end take effect without restarting anything.
 */
export class BandwidthManager {
  private readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: () => Pick<
      EngineSettings,
      'speedLimit' | 'speedSchedule' | 'backgroundSpeedLimit'
    >,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Starts metering a job's run. */
  register(job: ThrottledJob): JobBandwidth {
    const entry: Entry = { job, own: new TokenBucket(), share: new TokenBucket() };
    this.entries.add(entry);
    this.refresh();
    if (this.timer === undefined) {
      this.timer = setInterval(() => {
        this.refresh();
      }, REFRESH_MS);
      this.timer.unref();
    }
    return {
      take: (bytes) => Math.max(entry.own.take(bytes), entry.share.take(bytes)),
      limited: () => entry.own.rate > 0 || entry.share.rate > 0,
      release: () => {
        if (!this.entries.delete(entry)) return;
        if (this.entries.size === 0) this.stop();
        else this.refresh();
      },
    };
  }

  /**
   * Re-reads every limit now (also called on a timer while jobs run).
   *
   * The background limit is shared first, among the background jobs (each capped by its own
   * limit); then the global limit among every job, each capped by its own limit and its
   * background share, so a share one job cannot use goes to the others.
   */
  refresh(): void {
    const settings = this.settings();
    const entries = [...this.entries];
    const background = entries.filter((e) => e.job.priority !== 'FOREGROUND');
    const backgroundRates = shareLimit(
      settings.backgroundSpeedLimit,
      background.map((e) => ({
        weight: PRIORITY_WEIGHTS[e.job.priority],
        cap: e.job.transferPolicy.speedLimit,
      })),
    );
    const caps = new Map<Entry, number>();
    entries.forEach((entry) => caps.set(entry, entry.job.transferPolicy.speedLimit));
    background.forEach((entry, i) => {
      caps.set(entry, lowerLimit(caps.get(entry) ?? 0, backgroundRates[i] ?? 0));
    });
    const global = activeSpeedLimit(settings, this.clock());
    const globalRates = shareLimit(
      global,
      entries.map((e) => ({ weight: PRIORITY_WEIGHTS[e.job.priority], cap: caps.get(e) ?? 0 })),
    );
    entries.forEach((entry, i) => {
      entry.own.setRate(entry.job.transferPolicy.speedLimit);
      const share = global > 0 ? (globalRates[i] ?? 0) : 0;
      entry.share.setRate(lowerLimit(share, caps.get(entry) ?? 0));
    });
  }

  /** Stops the refresh timer (jobs still registered keep their last limits). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The lower of two limits in bytes per second, where 0 means none. */
function lowerLimit(a: number, b: number): number {
  if (a <= 0) return b;
  if (b <= 0) return a;
  return Math.min(a, b);
}
