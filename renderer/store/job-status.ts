import type { JobInfo } from '../../app/model/job.js';
import type { JobState } from '../../app/model/job-state.js';

/**
 * What the window calls a job's state: a download manager's words (Downloading, Waiting,
 * Paused, Retrying, Failed, Done), not BITS's. The BITS name stays in the details pane, the
 * CLI and JSON.
 */
export const JOB_STATUSES = [
  'waiting',
  'connecting',
  'downloading',
  'paused',
  'retrying',
  'failed',
  'ready',
  'done',
  'cancelled',
] as const;

/** One status as the window words it. */
export type JobStatus = (typeof JOB_STATUSES)[number];

const STATUS_OF: Readonly<Record<JobState, JobStatus>> = {
  QUEUED: 'waiting',
  CONNECTING: 'connecting',
  TRANSFERRING: 'downloading',
  SUSPENDED: 'paused',
  TRANSIENT_ERROR: 'retrying',
  ERROR: 'failed',
  // Every byte is in, but the files still wait for Complete under their temporary names.
  TRANSFERRED: 'ready',
  ACKNOWLEDGED: 'done',
  CANCELLED: 'cancelled',
};

/** The status a state is shown as. */
export function statusOf(state: JobState): JobStatus {
  return STATUS_OF[state];
}

/** Whether bytes may be flowing: only such a job animates or shows a speed. */
export function isMoving(job: Pick<JobInfo, 'state'>): boolean {
  return job.state === 'TRANSFERRING' || job.state === 'CONNECTING';
}

/**
 * Whole seconds until a retrying job is tried again, or null when no retry is planned (not
 * TRANSIENT_ERROR, or the no-progress timeout will turn it into a failure first).
 */
export function retryInSeconds(job: JobInfo, now: number): number | null {
  const at = job.state === 'TRANSIENT_ERROR' ? job.times.retryTime : null;
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A countdown as a clock reads it: "4:32", "1:02:05". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${String(h)}:${String(m).padStart(2, '0')}:${ss}` : `${String(m)}:${ss}`;
}
