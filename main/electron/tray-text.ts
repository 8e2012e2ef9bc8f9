import type { JobInfo } from '../../app/model/job.js';
import type { JobState } from '../../app/model/job-state.js';
import { SHELL_TEXT_EN, fillIn } from '../../app/shell-text.js';
import type { ShellText } from '../../app/shell-text.js';
import type { TaskbarProgress } from './platform.js';
import type { TrayState } from './tray-icon.js';

export type { TaskbarProgress } from './platform.js';

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

/**
 * Bytes in binary units with one decimal: "0 B", "512 B", "1.5 MB", "2.0 GB" (French: "1,5 Mo").
 */
export function formatBytes(bytes: number, text: ShellText = SHELL_TEXT_EN): string {
  const u = text.units;
  if (!Number.isFinite(bytes) || bytes <= 0) return `0 ${u.B}`;
  if (bytes < 1024) return `${Math.round(bytes)} ${u.B}`;
  const units = [u.KB, u.MB, u.GB, u.TB];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const number = value.toFixed(1);
  return `${text === SHELL_TEXT_EN ? number : number.replace('.', ',')} ${units[unit] ?? u.TB}`;
}

/**
 * The tray tooltip, e.g. "Ferry: 2 downloads, 45% of 1.2 GB, 3.4 MB/s".
 *
 * Idle: "Ferry: no active downloads". A size not yet known: "… 12.0 MB so far …". Jobs in ERROR
 * are mentioned, since they wait for the user.
 */
export function trayTooltip(
  jobs: readonly JobInfo[],
  bytesPerSecond: number,
  text: ShellText = SHELL_TEXT_EN,
): string {
  const t = text.tray;
  const p = aggregateProgress(jobs);
  const errors = p.errorJobs > 0 ? fillIn(t.failed, { count: p.errorJobs }) : '';
  if (p.activeJobs === 0) return `${t.idle}${errors}`;
  const amount =
    p.bytesTotal === null || p.bytesTotal === 0
      ? fillIn(t.soFar, { done: formatBytes(p.bytesTransferred, text) })
      : fillIn(t.percentOf, {
          percent: percent(p.bytesTransferred, p.bytesTotal),
          total: formatBytes(p.bytesTotal, text),
        });
  const speed = formatBytes(bytesPerSecond, text);
  const line =
    p.activeJobs === 1
      ? fillIn(t.activeOne, { amount, speed })
      : fillIn(t.active, { count: p.activeJobs, amount, speed });
  return `${line}${errors}`;
}

/** The tray icon's state: error while a job waits in ERROR, else transferring or idle. */
export function trayState(jobs: readonly JobInfo[]): TrayState {
  const p = aggregateProgress(jobs);
  if (p.errorJobs > 0) return 'error';
  return p.activeJobs > 0 ? 'transferring' : 'idle';
}

function percent(done: number, total: number): number {
  return Math.min(100, Math.floor((done * 100) / total));
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
export type TrayAction = 'show' | 'addFromClipboard' | 'suspendAll' | 'resumeAll' | 'quit';

/** One tray menu entry; tray.ts maps each to a MenuItem. */
export type TrayMenuEntry =
  | {
      readonly type: 'item';
      readonly action: TrayAction;
      readonly label: string;
      readonly enabled: boolean;
    }
  | { readonly type: 'separator' };

/**
 * The tray menu: Show Ferry, Add from clipboard, Suspend all, Resume all, Quit (Suspend and
 * Resume all disabled when nothing applies).
 */
export function trayMenuModel(
  jobs: readonly JobInfo[],
  text: ShellText = SHELL_TEXT_EN,
): TrayMenuEntry[] {
  const t = text.tray;
  return [
    { type: 'item', action: 'show', label: t.show, enabled: true },
    { type: 'item', action: 'addFromClipboard', label: t.addFromClipboard, enabled: true },
    { type: 'separator' },
    {
      type: 'item',
      action: 'suspendAll',
      label: t.suspendAll,
      enabled: jobsToSuspend(jobs).length > 0,
    },
    {
      type: 'item',
      action: 'resumeAll',
      label: t.resumeAll,
      enabled: jobsToResume(jobs).length > 0,
    },
    { type: 'separator' },
    { type: 'item', action: 'quit', label: t.quit, enabled: true },
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
