/**
 * The nine job states, named exactly as BITS' `BG_JOB_STATE`.
 *
 * Order and numeric values follow bits.h (seed 000): QUEUED = 0 … CANCELLED = 8.
 */
export const JOB_STATES = [
  'QUEUED',
  'CONNECTING',
  'TRANSFERRING',
  'SUSPENDED',
  'ERROR',
  'TRANSIENT_ERROR',
  'TRANSFERRED',
  'ACKNOWLEDGED',
  'CANCELLED',
] as const;

/** One of the nine BITS job states. */
export type JobState = (typeof JOB_STATES)[number];

/**
 * The four state classes of the BITS job life cycle.
 *
 * "Life Cycle of a BITS Job": starting SUSPENDED; action QUEUED, CONNECTING, TRANSFERRING,
 * TRANSIENT_ERROR; stopped ERROR, TRANSFERRED; final ACKNOWLEDGED, CANCELLED.
 */
export type JobStateClass = 'starting' | 'action' | 'stopped' | 'final';

const STATE_CLASS: Readonly<Record<JobState, JobStateClass>> = {
  SUSPENDED: 'starting',
  QUEUED: 'action',
  CONNECTING: 'action',
  TRANSFERRING: 'action',
  TRANSIENT_ERROR: 'action',
  ERROR: 'stopped',
  TRANSFERRED: 'stopped',
  ACKNOWLEDGED: 'final',
  CANCELLED: 'final',
};

/** The class a state belongs to. */
export function stateClass(state: JobState): JobStateClass {
  return STATE_CLASS[state];
}

/**
 * Whether a job in this state can never change again.
 *
 * Final jobs leave the active list and live on in history only.
 */
export function isFinalState(state: JobState): boolean {
  return STATE_CLASS[state] === 'final';
}

/** The BITS numeric value of a state (`BG_JOB_STATE_*`). */
export function jobStateValue(state: JobState): number {
  return JOB_STATES.indexOf(state);
}
