import type { JobState } from '../../app/model/job-state.js';

/**
 * The state groups the job list filters by.
 *
 * `all` shows every job that is not final; `history` shows the final ones (ACKNOWLEDGED,
 * CANCELLED), which BITS drops from its queue but Ferry keeps for the user.
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

/** The group a state is listed under (never `all`). */
export function groupOfState(state: JobState): Exclude<StateGroup, 'all'> {
  return GROUP_OF[state];
}

/** Whether a job in this state shows under the given filter group. */
export function stateInGroup(state: JobState, group: StateGroup): boolean {
  const own = GROUP_OF[state];
  return group === 'all' ? own !== 'history' : own === group;
}
