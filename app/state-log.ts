import type { JobState } from './model/job-state.js';

/**
 * Why a job's transfer was held or let go, beside its state: BITS moves a transferring job to
 * QUEUED when its owner logs off; Ferry does so for system suspend, the end of the session and
 * (with "pause on lock") a locked screen, and records each such transition in the job's
 * history, which `job.stateLog` reads (oldest first, kept while the job is). A job cancelled by
 * the inactivity rule (untouched for the inactivity timeout) gets an `inactivity` entry.
 */
export const STATE_CAUSES = [
  'system-suspend',
  'system-resume',
  'screen-locked',
  'screen-unlocked',
  'session-end',
  'inactivity',
] as const;

/** One cause. */
export type StateCause = (typeof STATE_CAUSES)[number];

/** One entry of a job's state log. */
export interface StateLogEntry {
  /** ms since the epoch. */
  readonly time: number;
  /** The job's state right after the transition. */
  readonly state: JobState;
  readonly cause: StateCause;
}
