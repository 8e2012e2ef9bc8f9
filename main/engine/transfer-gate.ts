import type { FerryErrorCode, JobId, StateCause } from '../../app/index.js';

/**
 * What may start transfers: the power and session holds the desktop shell reports, and
 * whether the network is there.
 *
 * BITS moves a transferring job to QUEUED when its owner logs off and lets it continue when
 * they log on again; Ferry does the same for system suspend, the end of the session and, when
 * the user asks for it, a locked screen. Each cause holds on its own, so unlocking the screen
 * of a suspended machine does not start anything until it resumes too.
 *
 * While the network is gone, a job that fails with a network error waits in TRANSIENT_ERROR
 * without a retry timer (no retries spent) and its no-progress timeout does not run; when the
 * network returns such jobs are retried at once. Other failures (a 404, a full disk) keep
 * their usual rules: the network being gone says nothing about them.
 */

/** Why transfers are held. */
export type HoldCause = 'system-suspend' | 'screen-locked' | 'session-end';

/** Every hold cause, for validation at the engine's boundary. */
export const HOLD_CAUSES: readonly HoldCause[] = ['system-suspend', 'screen-locked', 'session-end'];

/** The state-log causes of a hold starting and ending. */
export const HOLD_LOG_CAUSES: Readonly<Record<HoldCause, { start: StateCause; end: StateCause }>> =
  {
    'system-suspend': { start: 'system-suspend', end: 'system-resume' },
    'screen-locked': { start: 'screen-locked', end: 'screen-unlocked' },
    'session-end': { start: 'session-end', end: 'session-end' },
  };

/** Whether a value names a hold cause. */
export function isHoldCause(value: unknown): value is HoldCause {
  return (HOLD_CAUSES as readonly unknown[]).includes(value);
}

/**
 * Failures that mean "the network is not there" once the OS says so: resets, timeouts, DNS
 * and refused connections, and a body cut short (a connection closed mid-body reports a
 * length mismatch).
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set<FerryErrorCode>([
  'HTTP_LENGTH_MISMATCH',
  'NET_CONNECTION_RESET',
  'NET_CONNECTION_REFUSED',
  'NET_TIMEOUT',
  'NET_DNS_FAILURE',
  'NET_FAILURE',
]);

/** The gate's state; the job manager asks it before starting runs and when a run fails. */
export class TransferGate {
  private readonly holds = new Set<HoldCause>();
  /** The jobs each cause moved back to QUEUED, for the log entry when it ends. */
  private readonly heldJobs = new Map<HoldCause, Set<JobId>>();
  private offlineSince: number | null = null;

  /** The causes holding transfers now, oldest first. */
  get causes(): readonly HoldCause[] {
    return [...this.holds];
  }

  /** Whether the network is there (as last reported). */
  get online(): boolean {
    return this.offlineSince === null;
  }

  /** Whether the scheduler may start runs: nothing holds them and the network is there. */
  canStart(): boolean {
    return this.holds.size === 0 && this.offlineSince === null;
  }

  /** Adds a hold; true when it is the first (running transfers must stop now). */
  hold(cause: HoldCause): boolean {
    const first = this.holds.size === 0;
    this.holds.add(cause);
    return first;
  }

  /** Remembers that `cause` moved this job back to QUEUED. */
  noteHeld(cause: HoldCause, jobId: JobId): void {
    let jobs = this.heldJobs.get(cause);
    if (jobs === undefined) this.heldJobs.set(cause, (jobs = new Set()));
    jobs.add(jobId);
  }

  /**
   * Removes a hold: `last` when no hold is left (queued jobs may start again), and the jobs
   * this cause had moved back to QUEUED.
   */
  release(cause: HoldCause): { readonly last: boolean; readonly jobs: readonly JobId[] } {
    const held = this.holds.delete(cause);
    const jobs = [...(this.heldJobs.get(cause) ?? [])];
    this.heldJobs.delete(cause);
    return { last: held && this.holds.size === 0, jobs };
  }

  /** The network went away at `now`; false when it already was. */
  goOffline(now: number): boolean {
    if (this.offlineSince !== null) return false;
    this.offlineSince = now;
    return true;
  }

  /** The network is back at `now`: returns since when it was gone, or null if it was not. */
  goOnline(): number | null {
    const since = this.offlineSince;
    this.offlineSince = null;
    return since;
  }

  /** Whether a failure with this code waits for the network instead of being retried. */
  waitsForNetwork(code: string): boolean {
    return this.offlineSince !== null && NETWORK_ERROR_CODES.has(code);
  }
}

/**
 * The no-progress start moved past an offline period, so the time without a network does not
 * count towards the timeout: only the part of [offlineSince, now] after `noProgressSince`.
 */
export function shiftedNoProgressSince(
  noProgressSince: number | null,
  offlineSince: number,
  now: number,
): number | null {
  if (noProgressSince === null) return null;
  return noProgressSince + Math.max(0, now - Math.max(noProgressSince, offlineSince));
}
