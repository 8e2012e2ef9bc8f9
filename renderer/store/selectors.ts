import type { JobId } from '../../app/model/ids.js';
import type { JobInfo } from '../../app/model/job.js';
import { JOB_STATES } from '../../app/model/job-state.js';
import type { JobState } from '../../app/model/job-state.js';
import { priorityRank } from '../../app/model/priority.js';
import { isAllowed } from '../../app/transitions.js';
import type { SortDirection, SortKey } from './filters-slice.js';
import { isFinalState } from '../../app/model/job-state.js';
import { JOB_STATUSES, statusOf } from './job-status.js';
import { etaSeconds, progressFraction } from './speed.js';
import type { SpeedInfo } from './speed.js';
import { jobInGroup } from './state-groups.js';
import type { StateGroup } from './state-groups.js';
import type { FerryState } from './types.js';

/**
 * The actions a user runs on selected downloads, from the toolbar, the context menu or the
 * keyboard. Each goes to the host as one `jobs.batch` command for the jobs it applies to.
 */
export const JOB_ACTIONS = [
  'resume',
  'suspend',
  'retry',
  'complete',
  'cancel',
  'remove',
  'moveUp',
  'moveDown',
] as const;
/** One job action. */
export type JobAction = (typeof JOB_ACTIONS)[number];

/** Whether an action applies to a job in this state (the others in a selection are skipped). */
export function appliesTo(action: JobAction, state: JobState): boolean {
  switch (action) {
    case 'resume':
      return state === 'SUSPENDED';
    case 'suspend':
      return (
        state === 'QUEUED' ||
        state === 'CONNECTING' ||
        state === 'TRANSFERRING' ||
        state === 'TRANSIENT_ERROR'
      );
    case 'retry':
      return state === 'ERROR' || state === 'TRANSIENT_ERROR';
    case 'complete':
      return state === 'TRANSFERRED';
    case 'cancel':
    case 'moveUp':
    case 'moveDown':
      return (
        !isFinalState(state) && isAllowed(action === 'cancel' ? 'cancel' : 'setProperty', state)
      );
    case 'remove':
      return true;
  }
}

/** What the list shows, before sorting. */
export interface ListQuery {
  readonly group: StateGroup;
  readonly search: string;
  /** Done downloads finished before this time (ms) were cleared from the main list. */
  readonly clearedBefore?: number;
}

/** Whether a job passes the state group and the search text (name, description or URL). */
export function matchesQuery(job: JobInfo, urls: string | undefined, query: ListQuery): boolean {
  if (!jobInGroup(job, query.group, query.clearedBefore ?? 0)) return false;
  const needle = query.search.trim().toLowerCase();
  if (needle === '') return true;
  return (
    job.displayName.toLowerCase().includes(needle) ||
    job.description.toLowerCase().includes(needle) ||
    (urls?.includes(needle) ?? false)
  );
}

function sortValue(job: JobInfo, key: SortKey, speed: number): number | string {
  switch (key) {
    case 'added':
      return job.times.creationTime;
    case 'name':
      return job.displayName.toLocaleLowerCase();
    case 'status':
      return JOB_STATUSES.indexOf(statusOf(job.state));
    case 'progress':
      return progressFraction(job) ?? -1;
    case 'size':
      return job.progress.bytesTotal ?? -1;
    case 'speed':
      return speed;
    case 'timeLeft':
      return etaSeconds(job, speed) ?? Number.MAX_SAFE_INTEGER;
    case 'files':
      return job.progress.filesTotal;
    case 'priority':
      // Higher priority first when descending: FOREGROUND ranks 0, so invert.
      return -priorityRank(job.priority);
  }
}

/**
 * Orders jobs by a key; ties keep creation order, then id, so the order is stable.
 */
export function sortJobs(
  jobs: readonly JobInfo[],
  key: SortKey,
  direction: SortDirection,
  speeds: ReadonlyMap<JobId, SpeedInfo>,
): JobInfo[] {
  const sign = direction === 'asc' ? 1 : -1;
  const keyed = jobs.map((job) => ({
    job,
    value: sortValue(job, key, speeds.get(job.id)?.speed ?? 0),
  }));
  keyed.sort((a, b) => {
    const c =
      typeof a.value === 'string' && typeof b.value === 'string'
        ? a.value.localeCompare(b.value)
        : Number(a.value) - Number(b.value);
    if (c !== 0) return c * sign;
    const t = a.job.times.creationTime - b.job.times.creationTime;
    return t !== 0 ? t : a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0;
  });
  return keyed.map((k) => k.job);
}

interface VisibleCache {
  jobs: ReadonlyMap<JobId, JobInfo>;
  speeds: ReadonlyMap<JobId, SpeedInfo> | null;
  clearedBefore: number;
  group: StateGroup;
  search: string;
  sortKey: SortKey;
  sortDirection: SortDirection;
  ids: readonly JobId[];
}

let visibleCache: VisibleCache | null = null;

/**
 * The ids the list shows, filtered and sorted; memoised on its inputs so every row and the
 * toolbar can ask for it without re-sorting 10,000 jobs per render.
 */
function visibleIds(state: FerryState): readonly JobId[] {
  const speeds = state.sortKey === 'speed' || state.sortKey === 'timeLeft' ? state.speeds : null;
  const clearedBefore = state.settings?.app.listClearedBefore ?? 0;
  const c = visibleCache;
  if (
    c !== null &&
    c.jobs === state.jobs &&
    c.speeds === speeds &&
    c.clearedBefore === clearedBefore &&
    c.group === state.group &&
    c.search === state.search &&
    c.sortKey === state.sortKey &&
    c.sortDirection === state.sortDirection
  ) {
    return c.ids;
  }
  const query = { group: state.group, search: state.search, clearedBefore };
  const matching: JobInfo[] = [];
  for (const [id, job] of state.jobs) {
    if (matchesQuery(job, state.remoteUrls.get(id), query)) matching.push(job);
  }
  const ids = sortJobs(matching, state.sortKey, state.sortDirection, state.speeds).map((j) => j.id);
  visibleCache = {
    jobs: state.jobs,
    speeds,
    ...query,
    sortKey: state.sortKey,
    sortDirection: state.sortDirection,
    ids,
  };
  return ids;
}

/** Whether an action applies to at least one of the jobs given (the others are skipped). */
export function actionAllowed(action: JobAction, jobs: readonly JobInfo[]): boolean {
  return jobs.some((job) => appliesTo(action, job.state));
}

/** Jobs per state, every state present (0 when none). */
export function countByState(jobs: ReadonlyMap<JobId, JobInfo>): Record<JobState, number> {
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const job of jobs.values()) counts[job.state] += 1;
  return counts;
}

let countsCache: { jobs: ReadonlyMap<JobId, JobInfo>; counts: Record<JobState, number> } | null =
  null;

let speedCache: { speeds: ReadonlyMap<JobId, SpeedInfo>; total: number } | null = null;

/** What the toolbar's Pause all, Start all and Clear finished would act on. */
export interface GlobalTargets {
  readonly pause: number;
  readonly start: number;
  readonly clear: number;
}

let targetsCache: {
  jobs: ReadonlyMap<JobId, JobInfo>;
  clearedBefore: number;
  targets: GlobalTargets;
} | null = null;

let progressCache: { jobs: ReadonlyMap<JobId, JobInfo>; progress: number | null } | null = null;

function selectedJobs(state: FerryState): JobInfo[] {
  const out: JobInfo[] = [];
  for (const id of state.selected) {
    const job = state.jobs.get(id);
    if (job !== undefined) out.push(job);
  }
  return out;
}

/** Every selector the components use: plain functions of the state. */
export const jobSelectors = {
  visibleIds,
  job: (id: JobId) => (state: FerryState) => state.jobs.get(id),
  speed: (id: JobId) => (state: FerryState) => state.speeds.get(id)?.speed ?? 0,
  speedInfo: (id: JobId) => (state: FerryState) => state.speeds.get(id),
  eta: (id: JobId) => (state: FerryState) => {
    const job = state.jobs.get(id);
    return job === undefined ? null : etaSeconds(job, state.speeds.get(id)?.speed ?? 0);
  },
  isSelected: (id: JobId) => (state: FerryState) => state.selected.has(id),
  selectedJobs,
  /** The one selected job, for the details pane; null with none or several. */
  singleSelected: (state: FerryState): JobInfo | null => {
    if (state.selected.size !== 1) return null;
    const [id] = state.selected;
    return id === undefined ? null : (state.jobs.get(id) ?? null);
  },
  /** The enabled state of every action for the current selection. */
  enabledActions: (state: FerryState): Record<JobAction, boolean> => {
    const jobs = selectedJobs(state);
    const out = {} as Record<JobAction, boolean>;
    for (const action of JOB_ACTIONS) out[action] = actionAllowed(action, jobs);
    return out;
  },
  /** How many rows are selected. */
  selectedCount: (state: FerryState): number => state.selected.size,
  /**
   * Jobs Pause all / Start all would touch, and done jobs Clear finished would hide; computed
   * once per batch (every selector runs on every store change, and there may be 10,000 jobs).
   */
  globalTargets: (state: FerryState): GlobalTargets => {
    const clearedBefore = state.settings?.app.listClearedBefore ?? 0;
    if (targetsCache?.jobs === state.jobs && targetsCache.clearedBefore === clearedBefore) {
      return targetsCache.targets;
    }
    let pause = 0;
    let start = 0;
    let clear = 0;
    for (const job of state.jobs.values()) {
      if (appliesTo('suspend', job.state)) pause += 1;
      if (job.state === 'SUSPENDED' || job.state === 'ERROR') start += 1;
      if (job.state === 'ACKNOWLEDGED' && jobInGroup(job, 'finished', clearedBefore)) clear += 1;
    }
    targetsCache = { jobs: state.jobs, clearedBefore, targets: { pause, start, clear } };
    return targetsCache.targets;
  },
  /**
   * Overall progress of the downloads moving now, for the window title: null when none moves
   * or a size is unknown. Computed once per batch.
   */
  overallProgress: (state: FerryState): number | null => {
    if (progressCache?.jobs === state.jobs) return progressCache.progress;
    let total = 0;
    let done = 0;
    let moving = 0;
    let unknown = false;
    for (const job of state.jobs.values()) {
      if (job.state !== 'TRANSFERRING' && job.state !== 'CONNECTING' && job.state !== 'QUEUED')
        continue;
      moving += 1;
      if (job.progress.bytesTotal === null) {
        unknown = true;
        break;
      }
      total += job.progress.bytesTotal;
      done += job.progress.bytesTransferred;
    }
    const progress = unknown || moving === 0 || total === 0 ? null : Math.min(1, done / total);
    progressCache = { jobs: state.jobs, progress };
    return progress;
  },
  countByState: (state: FerryState): Record<JobState, number> => {
    if (countsCache?.jobs !== state.jobs) {
      countsCache = { jobs: state.jobs, counts: countByState(state.jobs) };
    }
    return countsCache.counts;
  },
  /** Sum of every job's measured speed, bytes per second. */
  globalSpeed: (state: FerryState): number => {
    if (speedCache?.speeds !== state.speeds) {
      let total = 0;
      for (const s of state.speeds.values()) total += s.speed;
      speedCache = { speeds: state.speeds, total };
    }
    return speedCache.total;
  },
};
