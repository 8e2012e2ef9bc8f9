import type { JobId } from '../../app/model/ids.js';
import type { JobInfo } from '../../app/model/job.js';
import { JOB_STATES } from '../../app/model/job-state.js';
import type { JobState } from '../../app/model/job-state.js';
import { priorityRank } from '../../app/model/priority.js';
import { isAllowed } from '../../app/transitions.js';
import type { SortDirection, SortKey } from './filters-slice.js';
import { etaSeconds, progressFraction } from './speed.js';
import type { SpeedInfo } from './speed.js';
import { stateInGroup } from './state-groups.js';
import type { StateGroup } from './state-groups.js';
import type { FerryState } from './types.js';

/** The four job actions a user triggers from the list. */
export const JOB_ACTIONS = ['suspend', 'resume', 'complete', 'cancel'] as const;
/** One job action. */
export type JobAction = (typeof JOB_ACTIONS)[number];

/** What the list shows, before sorting. */
export interface ListQuery {
  readonly group: StateGroup;
  readonly search: string;
}

/** Whether a job passes the state group and the search text (name, description or URL). */
export function matchesQuery(job: JobInfo, urls: string | undefined, query: ListQuery): boolean {
  if (!stateInGroup(job.state, query.group)) return false;
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
    case 'progress':
      return progressFraction(job) ?? -1;
    case 'speed':
      return speed;
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
  const speeds = state.sortKey === 'speed' ? state.speeds : null;
  const c = visibleCache;
  if (
    c !== null &&
    c.jobs === state.jobs &&
    c.speeds === speeds &&
    c.group === state.group &&
    c.search === state.search &&
    c.sortKey === state.sortKey &&
    c.sortDirection === state.sortDirection
  ) {
    return c.ids;
  }
  const query = { group: state.group, search: state.search };
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

/** Whether an action is allowed for every job given, per the transition table. */
export function actionAllowed(action: JobAction, jobs: readonly JobInfo[]): boolean {
  return jobs.length > 0 && jobs.every((job) => isAllowed(action, job.state));
}

/** Whether Complete would drop files: some job has not transferred everything. */
export function completeLosesFiles(jobs: readonly JobInfo[]): boolean {
  return jobs.some((job) => job.progress.filesTransferred < job.progress.filesTotal);
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
  /** The enabled state of the four actions for the current selection. */
  enabledActions: (state: FerryState): Record<JobAction, boolean> => {
    const jobs = selectedJobs(state);
    return {
      suspend: actionAllowed('suspend', jobs),
      resume: actionAllowed('resume', jobs),
      complete: actionAllowed('complete', jobs),
      cancel: actionAllowed('cancel', jobs),
    };
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
