import type { JobInfo } from '../../app/model/job.js';
import type { JobState } from '../../app/model/job-state.js';

/**
 * The state groups the job list filters by.
 *
 * `all` is the main list: every job that is not final, plus the downloads done since the user
 * last pressed "Clear finished" (they stay as "Done", as in every download manager).
 * `finished` is what that button clears: ready and done downloads. `history` shows every final
 * job (done or cancelled), which BITS drops from its queue but Ferry keeps for the user.
 */
export const STATE_GROUPS = ['all', 'active', 'waiting', 'stopped', 'finished', 'history'] as const;

/** One filter group of the job list. */
export type StateGroup = (typeof STATE_GROUPS)[number];

const GROUP_OF: Readonly<Record<JobState, Exclude<StateGroup, 'all'>>> = {
  CONNECTING: 'active',
  TRANSFERRING: 'active',
  QUEUED: 'waiting',
  TRANSIENT_ERROR: 'waiting',
  SUSPENDED: 'stopped',
  ERROR: 'stopped',
  TRANSFERRED: 'finished',
  ACKNOWLEDGED: 'history',
  CANCELLED: 'history',
};

/** The group a state is listed under when nothing else is known (never `all`). */
export function groupOfState(state: JobState): Exclude<StateGroup, 'all'> {
  return GROUP_OF[state];
}

/**
 * Whether a done download still shows in the main list: it finished (ACKNOWLEDGED) after the
 * last "Clear finished" (`clearedBefore`, ms).
 */
export function isUnclearedDone(
  job: Pick<JobInfo, 'state' | 'times'>,
  clearedBefore: number,
): boolean {
  return job.state === 'ACKNOWLEDGED' && job.times.modificationTime >= clearedBefore;
}

/** Whether a job shows under the given filter group. */
export function jobInGroup(
  job: Pick<JobInfo, 'state' | 'times'>,
  group: StateGroup,
  clearedBefore: number,
): boolean {
  const own = GROUP_OF[job.state];
  if (group === 'history') return own === 'history';
  if (isUnclearedDone(job, clearedBefore)) return group === 'all' || group === 'finished';
  return group === 'all' ? own !== 'history' : own === group;
}
