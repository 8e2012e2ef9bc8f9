import type { JobState } from './model/job-state.js';

/**
 * The job methods whose effect depends on the job's state.
 *
 * `setProperty` stands for every setter (display name, description, priority, retry delay,
 * no-progress timeout, notify flags and command line, proxy, custom headers); `addFile` also
 * covers AddFileSet. Getters are allowed in every state and are not listed.
 */
export const JOB_METHODS = [
  'suspend',
  'resume',
  'complete',
  'cancel',
  'addFile',
  'setProperty',
  'setRemoteName',
  'replaceRemotePrefix',
  'takeOwnership',
] as const;

/** A job method whose effect depends on state. */
export type JobMethod = (typeof JOB_METHODS)[number];

type Rule = Readonly<Partial<Record<JobState, JobState>>>;

/** Maps every non-final state to itself: the method is allowed and leaves the state alone. */
const SAME: Rule = {
  QUEUED: 'QUEUED',
  CONNECTING: 'CONNECTING',
  TRANSFERRING: 'TRANSFERRING',
  SUSPENDED: 'SUSPENDED',
  ERROR: 'ERROR',
  TRANSIENT_ERROR: 'TRANSIENT_ERROR',
  TRANSFERRED: 'TRANSFERRED',
};

/** Maps every non-final state to one target state. */
function allTo(target: JobState): Rule {
  return Object.fromEntries(Object.keys(SAME).map((s) => [s, target]));
}

/**
 * The transition table: for each method, the states that allow it and the state that follows.
 *
 * A state missing from a method's row forbids the method there (BG_E_INVALID_STATE). Every row
 * allows exactly the non-final states, as BITS documents (docs/architecture.md, "The job model"):
 * - Resume: SUSPENDED, ERROR and TRANSIENT_ERROR → QUEUED; QUEUED, CONNECTING and TRANSFERRING
 *   are left alone; a TRANSFERRED job has nothing left to fetch and stays TRANSFERRED.
 * - Complete → ACKNOWLEDGED (a failed rename leaves the job where it was, with an error).
 * - AddFile on a TRANSFERRED job makes it SUSPENDED: it has work again and waits for Resume.
 * - SetRemoteName and ReplaceRemotePrefix on a running job (CONNECTING, TRANSFERRING) stop its
 *   request and queue it again, so the next request goes to the new URL.
 * The engine and every UI read this one table.
 */
export const TRANSITIONS: Readonly<Record<JobMethod, Rule>> = {
  suspend: allTo('SUSPENDED'),
  resume: {
    SUSPENDED: 'QUEUED',
    QUEUED: 'QUEUED',
    CONNECTING: 'CONNECTING',
    TRANSFERRING: 'TRANSFERRING',
    ERROR: 'QUEUED',
    TRANSIENT_ERROR: 'QUEUED',
    TRANSFERRED: 'TRANSFERRED',
  },
  complete: allTo('ACKNOWLEDGED'),
  cancel: allTo('CANCELLED'),
  addFile: { ...SAME, TRANSFERRED: 'SUSPENDED' },
  setProperty: SAME,
  setRemoteName: { ...SAME, CONNECTING: 'QUEUED', TRANSFERRING: 'QUEUED' },
  replaceRemotePrefix: { ...SAME, CONNECTING: 'QUEUED', TRANSFERRING: 'QUEUED' },
  takeOwnership: SAME,
};

/** Whether a method may be called on a job in this state. */
export function isAllowed(method: JobMethod, state: JobState): boolean {
  return TRANSITIONS[method][state] !== undefined;
}

/** The state a job moves to when the method succeeds, or null when the state forbids it. */
export function nextState(method: JobMethod, state: JobState): JobState | null {
  return TRANSITIONS[method][state] ?? null;
}
