import type { JobInfo } from '../../app/model/job.js';
import type { JobState } from '../../app/model/job-state.js';

/**
 * What the tray and the taskbar show, computed from the jobs: the tooltip, the menu model and
 * the progress bar. tray.ts only copies these onto Electron objects.
 */

/** States in which a job is moving or about to move (BITS' "action" class). */
const ACTIVE_STATES: ReadonlySet<JobState> = new Set([
  'QUEUED',
  'CONNECTING',
  'TRANSFERRING',
  'TRANSIENT_ERROR',
]);

/** Progress summed over the active jobs. */
export interface AggregateProgress {
  readonly activeJobs: number;
  readonly bytesTransferred: number;
  /** Null when any active job's size is unknown (an indeterminate bar, never 0 %). */
  readonly bytesTotal: number | null;
  /** Jobs stopped in ERROR (they wait for the user). */
  readonly errorJobs: number;
}

/** Sums the active jobs' progress. */
export function aggregateProgress(jobs: readonly JobInfo[]): AggregateProgress {
  let activeJobs = 0;
  let errorJobs = 0;
  let bytesTransferred = 0;
  let bytesTotal: number | null = 0;
  for (const job of jobs) {
    if (job.state === 'ERROR') errorJobs++;
    if (!ACTIVE_STATES.has(job.state)) continue;
    activeJobs++;
    bytesTransferred += job.progress.bytesTransferred;
    bytesTotal =
      bytesTotal === null || job.progress.bytesTotal === null
        ? null
        : bytesTotal + job.progress.bytesTotal;
  }
  return { activeJobs, bytesTransferred, bytesTotal, errorJobs };
}

/** Bytes in binary units with one decimal: "0 B", "512 B", "1.5 MB", "2.0 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'PB'}`;
}

/**
 * The tray tooltip, e.g. "Ferry: 2 downloads, 45% of 1.2 GB, 3.4 MB/s".
 *
 * Idle: "Ferry: no active downloads". A size not yet known: "… 12.0 MB so far …". Jobs in ERROR
 * are mentioned, since they wait for the user.
 */
export function trayTooltip(jobs: readonly JobInfo[], bytesPerSecond: number): string {
  const p = aggregateProgress(jobs);
  const errors = p.errorJobs > 0 ? `, ${p.errorJobs} failed` : '';
  if (p.activeJobs === 0) return `Ferry: no active downloads${errors}`;
  const count = p.activeJobs === 1 ? '1 download' : `${p.activeJobs} downloads`;
  const amount =
    p.bytesTotal === null || p.bytesTotal === 0
      ? `${formatBytes(p.bytesTransferred)} so far`
      : `${percent(p.bytesTransferred, p.bytesTotal)}% of ${formatBytes(p.bytesTotal)}`;
  return `Ferry: ${count}, ${amount}, ${formatBytes(bytesPerSecond)}/s${errors}`;
}

function percent(done: number, total: number): number {
  return Math.min(100, Math.floor((done * 100) / total));
}

/** What `BrowserWindow.setProgressBar(value, { mode })` gets. */
export interface TaskbarProgress {
  /** 0..1, or -1 to remove the bar; 2 for indeterminate (Electron's convention). */
  readonly value: number;
  readonly mode: 'none' | 'normal' | 'indeterminate' | 'error';
}

/**
 * The taskbar/dock progress bar: the active jobs' combined fraction, indeterminate while a
 * size is unknown, red ("error") when nothing moves and some job failed, removed when idle.
 */
export function taskbarProgress(jobs: readonly JobInfo[]): TaskbarProgress {
  const p = aggregateProgress(jobs);
  if (p.activeJobs === 0) return p.errorJobs > 0 ? { value: 1, mode: 'error' } : NO_PROGRESS;
  if (p.bytesTotal === null || p.bytesTotal === 0) return { value: 2, mode: 'indeterminate' };
  return { value: Math.min(1, p.bytesTransferred / p.bytesTotal), mode: 'normal' };
}

const NO_PROGRESS: TaskbarProgress = { value: -1, mode: 'none' };

/** The tray menu's actions. */
export type TrayAction = 'show' | 'suspendAll' | 'resumeAll' | 'quit';

/** One tray menu entry; tray.ts maps each to a MenuItem. */
export type TrayMenuEntry =
  | {
      readonly type: 'item';
      readonly action: TrayAction;
      readonly label: string;
      readonly enabled: boolean;
    }
  | { readonly type: 'separator' };

/** The tray menu: Show Ferry, Suspend all, Resume all, Quit (disabled when nothing applies). */
export function trayMenuModel(jobs: readonly JobInfo[]): TrayMenuEntry[] {
  return [
    { type: 'item', action: 'show', label: 'Show Ferry', enabled: true },
    { type: 'separator' },
    {
      type: 'item',
      action: 'suspendAll',
      label: 'Suspend all',
      enabled: jobsToSuspend(jobs).length > 0,
    },
    {
      type: 'item',
      action: 'resumeAll',
      label: 'Resume all',
      enabled: jobsToResume(jobs).length > 0,
    },
    { type: 'separator' },
    { type: 'item', action: 'quit', label: 'Quit Ferry', enabled: true },
  ];
}

/** "Suspend all": every job that is moving or waiting to (active states). */
export function jobsToSuspend(jobs: readonly JobInfo[]): JobInfo[] {
  return jobs.filter((job) => ACTIVE_STATES.has(job.state));
}

/**
 * "Resume all": SUSPENDED jobs that have files (an empty job refuses Resume) and jobs stopped
 * in ERROR (Resume re-queues them). TRANSFERRED jobs wait for Complete, not Resume.
 */
export function jobsToResume(jobs: readonly JobInfo[]): JobInfo[] {
  return jobs.filter(
    (job) => (job.state === 'SUSPENDED' && job.progress.filesTotal > 0) || job.state === 'ERROR',
  );
}
