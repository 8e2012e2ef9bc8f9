import type { JobId, JobPriority, JobState } from '../../app/index.js';
import { priorityRank } from '../../app/index.js';

/** What the planner needs to know of a job. */
export interface PlanCandidate {
  readonly id: JobId;
  readonly seq: number;
  readonly state: JobState;
  readonly priority: JobPriority;
}

/** Which runs to start and which to stop so that the right jobs hold the slots. */
export interface Plan {
  readonly start: readonly JobId[];
  readonly stop: readonly JobId[];
}

const RUNNABLE: ReadonlySet<JobState> = new Set(['QUEUED', 'CONNECTING', 'TRANSFERRING']);

/**
 * Decides which jobs run: every FOREGROUND job at once, then background jobs in priority order
 * (HIGH, NORMAL, LOW), first come first served within a priority, at most `maxConcurrent`.
 *
 * A running job that no longer makes the cut (a higher priority arrived, or the limit shrank)
 * is stopped and goes back to QUEUED, as BITS pre-empts lower priorities.
 */
export function planRuns(
  jobs: Iterable<PlanCandidate>,
  running: ReadonlySet<JobId>,
  maxConcurrent: number,
): Plan {
  const runnable = [...jobs]
    .filter((job) => RUNNABLE.has(job.state))
    .sort((a, b) => priorityRank(a.priority) - priorityRank(b.priority) || a.seq - b.seq);
  const wanted = new Set<JobId>();
  let background = 0;
  for (const job of runnable) {
    if (job.priority === 'FOREGROUND') wanted.add(job.id);
    else if (background < maxConcurrent) {
      wanted.add(job.id);
      background++;
    }
  }
  return {
    start: [...wanted].filter((id) => !running.has(id)),
    stop: [...running].filter((id) => !wanted.has(id)),
  };
}

/**
 * One timer per job and purpose (retry, give up), replaced when set again.
 *
 * Timers are unref'd: a pending retry never keeps the process alive on its own.
 */
export class JobTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Runs `fn` at `time` (ms since the epoch), replacing the job's timer of the same kind. */
  set(jobId: JobId, kind: 'retry' | 'giveUp', time: number, fn: () => void): void {
    this.clear(jobId, kind);
    const key = `${jobId}:${kind}`;
    const delay = Math.max(0, time - Date.now());
    // setTimeout overflows past 2^31-1 ms (24.8 days); re-arm in steps for longer delays.
    const step = Math.min(delay, 2_000_000_000);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (Date.now() >= time) fn();
      else this.set(jobId, kind, time, fn);
    }, step);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Cancels the job's timers (one kind, or both). */
  clear(jobId: JobId, kind?: 'retry' | 'giveUp'): void {
    for (const k of kind === undefined ? (['retry', 'giveUp'] as const) : [kind]) {
      const key = `${jobId}:${k}`;
      const timer = this.timers.get(key);
      if (timer !== undefined) clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  /** Cancels every timer. */
  clearAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
