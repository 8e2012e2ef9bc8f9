import type { JobFlavour, JobId, JobState } from '../../app/index.js';
import { isFinalState, rulesFor } from '../../app/index.js';
import type { ClockTimer, EngineClock } from './clock.js';

/**
 * What the time limits read and write on a job record (job-record.ts has these fields).
 *
 * `activeTime` is the active time (ms) of the stints that have ended since the last Resume;
 * `activeSince` the start of the current stint, null while the job is not active. Both, and
 * `lastActivity`, are times of the limits' clock.
 */
export interface TimedJob {
  readonly id: JobId;
  readonly flavour: JobFlavour;
  readonly state: JobState;
  /** Seconds; 0 = no limit. */
  readonly maximumDownloadTime: number;
  activeTime: number;
  activeSince: number | null;
  lastActivity: number;
}

/** What the limits need from the engine. */
export interface TimeLimitsHost {
  readonly clock: EngineClock;
  /** Seconds a job may go untouched before it is cancelled; 0 = never (a live setting). */
  inactivityTimeout(): number;
  /** Every job the limits may look at (final ones are skipped). */
  jobs(): Iterable<TimedJob>;
  /** The job spent its maximum download time active: the engine puts it in ERROR. */
  downloadTimeExpired(jobId: JobId): void;
  /** The job went untouched for the inactivity timeout: the engine cancels it. */
  inactive(jobId: JobId): void;
}

/**
 * BITS' two time limits, on the engine's clock.
 *
 * Maximum download time (IBackgroundCopyJob4::SetMaximumDownloadTime): the time a job spends
 * in its flavour's active states (CONNECTING and TRANSFERRING; a DO job only TRANSFERRING)
 * adds up, QUEUED and TRANSIENT_ERROR time does not; past the limit the job fails with
 * BG_E_MAXDOWNLOAD_TIMEOUT's meaning. Resume starts the count again.
 *
 * Inactivity (BITS' JobInactivityTimeout policy): a live job with no method call and no
 * progress for the timeout is cancelled. One sweep timer, armed at the earliest deadline,
 * serves every job: a touch only ever moves a deadline later, so it needs no timer work.
 */
export class JobTimeLimits {
  private readonly downloadTimers = new Map<JobId, ClockTimer>();
  private sweepTimer: ClockTimer | null = null;
  private closed = false;

  constructor(private readonly host: TimeLimitsHost) {}

  private get now(): number {
    return this.host.clock.now();
  }

  /** A job the engine loaded or created: its stint and timers pick up where they were. */
  track(job: TimedJob): void {
    if (this.isActive(job)) {
      job.activeSince ??= this.now;
      this.armDownloadTimer(job);
    } else if (job.activeSince !== null) {
      // Stopped without being told (a crash): its stint ended no later than its last activity.
      job.activeTime += Math.max(0, Math.max(job.lastActivity, job.activeSince) - job.activeSince);
      job.activeSince = null;
    }
  }

  /** Starts (or restarts) the inactivity sweep; call once every job is tracked. */
  start(): void {
    this.sweep();
  }

  /** Call after every state change: a stint starts or ends. */
  stateChanged(job: TimedJob): void {
    const active = this.isActive(job);
    if (active && job.activeSince === null) {
      job.activeSince = this.now;
      this.armDownloadTimer(job);
    } else if (!active && job.activeSince !== null) {
      job.activeTime += Math.max(0, this.now - job.activeSince);
      job.activeSince = null;
      this.clearDownloadTimer(job.id);
    }
    if (isFinalState(job.state)) this.forget(job.id);
  }

  /** A method was called on the job, or it made progress. */
  touched(job: TimedJob): void {
    job.lastActivity = this.now;
  }

  /** Resume: the job gets its whole maximum download time again. */
  resumed(job: TimedJob): void {
    job.activeTime = 0;
    if (job.activeSince !== null) job.activeSince = this.now;
    this.touched(job);
  }

  /** SetMaximumDownloadTime changed the limit: a running job's timer moves with it. */
  limitChanged(job: TimedJob): void {
    if (job.activeSince !== null) this.armDownloadTimer(job);
  }

  /** Active time used so far, in ms (the current stint included). */
  activeTimeOf(job: TimedJob): number {
    return (
      job.activeTime + (job.activeSince === null ? 0 : Math.max(0, this.now - job.activeSince))
    );
  }

  /** The inactivity setting changed: deadlines are looked at again now. */
  settingChanged(): void {
    this.sweep();
  }

  /** The job is gone (final or removed). */
  forget(jobId: JobId): void {
    this.clearDownloadTimer(jobId);
  }

  /** Stops every timer (the engine closes). */
  close(): void {
    this.closed = true;
    for (const timer of this.downloadTimers.values()) timer.cancel();
    this.downloadTimers.clear();
    this.sweepTimer?.cancel();
    this.sweepTimer = null;
  }

  private isActive(job: TimedJob): boolean {
    return rulesFor(job).activeStates.includes(job.state);
  }

  private armDownloadTimer(job: TimedJob): void {
    this.clearDownloadTimer(job.id);
    if (this.closed || job.maximumDownloadTime <= 0 || job.activeSince === null) return;
    const left = job.maximumDownloadTime * 1000 - job.activeTime;
    const id = job.id;
    this.downloadTimers.set(
      id,
      this.host.clock.at(job.activeSince + Math.max(0, left), () => {
        this.downloadTimers.delete(id);
        this.host.downloadTimeExpired(id);
      }),
    );
  }

  private clearDownloadTimer(jobId: JobId): void {
    this.downloadTimers.get(jobId)?.cancel();
    this.downloadTimers.delete(jobId);
  }

  /** Cancels every job past its deadline and arms the sweep for the next deadline. */
  private sweep(): void {
    this.sweepTimer?.cancel();
    this.sweepTimer = null;
    if (this.closed) return;
    const timeout = this.host.inactivityTimeout() * 1000;
    if (timeout <= 0) return;
    const now = this.now;
    let next = Infinity;
    const expired: JobId[] = [];
    for (const job of this.host.jobs()) {
      if (isFinalState(job.state)) continue;
      const deadline = job.lastActivity + timeout;
      if (deadline <= now) expired.push(job.id);
      else next = Math.min(next, deadline);
    }
    for (const id of expired) this.host.inactive(id);
    // With no live job, look again one timeout from now: a job made meanwhile is due later.
    const at = next === Infinity ? now + timeout : next;
    this.sweepTimer = this.host.clock.at(at, () => {
      this.sweep();
    });
  }
}
