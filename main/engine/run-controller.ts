import type { EngineSettings, JobId, RetryBackoff } from '../../app/index.js';
import { DO_RETRY_BACKOFF, FerryError, nextBackoffDelay, rulesFor } from '../../app/index.js';
import { errorText } from './error-chain.js';
import type { JobRecord } from './job-record.js';
import type { JobTable } from './job-table.js';
import type { Notifier } from './notifier.js';
import { isTransient, retryTime } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { JobTimers, planRuns } from './scheduler.js';
import type { JobRepo } from './store/job-repo.js';
import type { StateLog } from './store/state-log.js';
import { runTransferAttempt } from './transfer-attempt.js';
import type { AttemptHost, AttemptOutcome } from './transfer-attempt.js';
import { HOLD_LOG_CAUSES, NETWORK_ERROR_CODES, shiftedNoProgressSince } from './transfer-gate.js';
import type { HoldCause, TransferGate } from './transfer-gate.js';

/** What the run controller is built from (a part of the job manager's deps). */
export interface RunControllerDeps {
  readonly repo: JobRepo;
  readonly notifier: Notifier;
  readonly retryPolicy: RetryPolicy;
  /** Power, session and network conditions (transfer-gate.ts). */
  readonly gate: TransferGate;
  /** Each job's state log (store/state-log.ts). */
  readonly stateLog: StateLog;
  /** DO jobs' internal retry back-off (default DO_RETRY_BACKOFF, app/model/job-flavour.ts). */
  readonly retryBackoff?: RetryBackoff;
  settings(): EngineSettings;
}

interface Run {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Who transfers and when: starts the runs the scheduler plans, stops them, turns each run's
 * outcome into a state (TRANSFERRED, TRANSIENT_ERROR with a retry timer, or ERROR), re-times
 * retries when a job's delays change, and holds or releases every run for power, session and
 * network conditions.
 *
 * States are written through the job table; a retry or give-up timer takes the job's lock
 * like any method.
 */
export class RunController {
  private readonly runs = new Map<JobId, Run>();
  private readonly timers = new JobTimers();
  private planQueued = false;

  constructor(
    private readonly deps: RunControllerDeps,
    private readonly table: JobTable,
    private readonly host: AttemptHost,
    /** One attempt at a job: its downloads, or its upload (upload-jobs.ts). */
    private readonly attempt: typeof runTransferAttempt = runTransferAttempt,
  ) {}

  /** What attempts are given: connections, settings and store hooks (attempt-host.ts). */
  get attemptHost(): AttemptHost {
    return this.host;
  }

  /** Asks the scheduler to re-plan soon (coalesced into one pass). */
  requestPlan(): void {
    if (this.planQueued || this.table.closed) return;
    this.planQueued = true;
    setImmediate(() => {
      this.planQueued = false;
      this.plan();
    });
  }

  /**
   * Stops every transfer (jobs go back to QUEUED, their flushed bytes recorded) and timers,
   * then waits for every method in progress.
   *
   * Used on quit: the next start resumes them where they were.
   */
  async close(): Promise<void> {
    if (this.table.closed) return;
    this.table.close();
    this.timers.clearAll();
    const running = [...this.runs.keys()];
    await Promise.all(running.map((id) => this.stop(id)));
    for (const id of running) {
      const job = this.table.peek(id);
      if (job !== undefined && (job.state === 'CONNECTING' || job.state === 'TRANSFERRING')) {
        job.state = 'QUEUED';
        this.deps.repo.saveJob(job);
      }
    }
    await this.table.idle();
  }

  /** Stops a job's run, if it has one, and waits until its flushed bytes are recorded. */
  async stop(jobId: JobId): Promise<void> {
    const run = this.runs.get(jobId);
    if (run === undefined) return;
    run.controller.abort(
      new FerryError('ENGINE_CLOSED', 'GENERAL_QUEUE_MANAGER', 'Transfer stopped by request'),
    );
    await run.done;
    this.runs.delete(jobId);
  }

  /** Cancels a job's retry and give-up timers. */
  clearTimers(jobId: JobId): void {
    this.timers.clear(jobId);
  }

  /**
   * Re-plans a TRANSIENT_ERROR job's timers after its retry delay or no-progress timeout
   * changed: the retry moves to (last error + new delay), and a timeout that has already run
   * out (or is now 0) makes the job ERROR at once.
   */
  retime(job: JobRecord): void {
    if (job.state !== 'TRANSIENT_ERROR') return;
    this.timers.clear(job.id);
    const now = Date.now();
    const deadline = (job.noProgressSince ?? now) + job.noProgressTimeout * 1000;
    if (job.noProgressTimeout === 0 || now >= deadline) {
      this.giveUpNow(job);
      return;
    }
    const retryAt = (job.error?.time ?? now) + job.minimumRetryDelay * 1000;
    job.retryAt = retryAt < deadline ? retryAt : null;
    this.deps.repo.saveJob(job);
    this.armTransientTimers(job);
  }

  /** Arms a TRANSIENT_ERROR job's retry (or give-up) timer, as its record says. */
  armTransientTimers(job: JobRecord): void {
    const deadline = (job.noProgressSince ?? Date.now()) + job.noProgressTimeout * 1000;
    if (job.retryAt !== null && job.retryAt < deadline) {
      this.timers.set(job.id, 'retry', job.retryAt, () => void this.retryNow(job.id));
    } else {
      this.timers.set(job.id, 'giveUp', deadline, () => void this.giveUp(job.id));
    }
  }

  /**
   * Holds transfers for `cause` (transfer-gate.ts): running jobs go back to QUEUED and none
   * starts until every cause is released.
   */
  async hold(cause: HoldCause): Promise<void> {
    this.table.assertOpen();
    this.deps.gate.hold(cause);
    const running = [...this.runs.keys()];
    await Promise.all(running.map((id) => this.preempt(id)));
    // Each job moved back to QUEUED gets the cause in its state log (the BITS logoff rule).
    for (const id of running) {
      const job = this.table.peek(id);
      if (job?.state !== 'QUEUED') continue;
      this.deps.gate.noteHeld(cause, id);
      this.deps.stateLog.append(id, {
        time: Date.now(),
        state: 'QUEUED',
        cause: HOLD_LOG_CAUSES[cause].start,
      });
    }
  }

  /** Releases one hold; queued jobs start when none is left. */
  release(cause: HoldCause): void {
    const { last, jobs } = this.deps.gate.release(cause);
    for (const id of jobs) {
      const job = this.table.peek(id);
      if (job === undefined) continue;
      this.deps.stateLog.append(id, {
        time: Date.now(),
        state: job.state,
        cause: HOLD_LOG_CAUSES[cause].end,
      });
    }
    if (last) this.requestPlan();
  }

  /**
   * The network went away or came back. Away: jobs waiting on a network error lose their retry
   * timer. Back: their no-progress start moves past the outage and they are retried at once.
   */
  setNetwork(online: boolean): void {
    if (this.table.closed) return;
    const gate = this.deps.gate;
    const now = Date.now();
    if (!online && !gate.goOffline(now)) return;
    const since = online ? gate.goOnline() : null;
    if (online && since === null) return;
    for (const job of this.table.all()) {
      if (job.state !== 'TRANSIENT_ERROR' || job.error === null) continue;
      if (!NETWORK_ERROR_CODES.has(job.error.code)) continue;
      if (since === null) {
        this.timers.clear(job.id);
        job.retryAt = null;
        this.deps.repo.saveJob(job);
      } else {
        job.noProgressSince = shiftedNoProgressSince(job.noProgressSince, since, now);
        void this.retryNow(job.id);
      }
    }
    if (online) this.requestPlan();
  }

  private plan(): void {
    if (this.table.closed || !this.deps.gate.canStart()) return;
    const plan = planRuns(
      this.table.all(),
      new Set(this.runs.keys()),
      this.deps.settings().maxConcurrentJobs,
    );
    for (const id of plan.stop) void this.preempt(id);
    for (const id of plan.start) {
      const job = this.table.peek(id);
      // A job with a method in progress is planned again when that method ends.
      if (job !== undefined && !this.table.isBusy(id)) this.start(job);
    }
  }

  private start(job: JobRecord): void {
    const controller = new AbortController();
    // BITS connects in CONNECTING; a DO job has no such state and runs in TRANSFERRING.
    const runState = rulesFor(job).runState;
    if (job.state !== runState) this.table.setState(job, runState);
    const done = this.attempt(job, controller.signal, this.host)
      .then((outcome) => {
        this.finish(job, controller, outcome);
      })
      .catch((cause: unknown) => {
        this.finish(job, controller, {
          kind: 'failed',
          error: new FerryError('INTERNAL', 'UNKNOWN', `Job run failed: ${errorText(cause)}`, {
            cause,
          }),
        });
      });
    this.runs.set(job.id, { controller, done });
  }

  /** A run ended on its own: its outcome becomes the job's state. */
  private finish(job: JobRecord, controller: AbortController, outcome: AttemptOutcome): void {
    if (this.runs.get(job.id)?.controller === controller) this.runs.delete(job.id);
    // An aborted run belongs to whoever aborted it: that method sets the state.
    if (controller.signal.aborted || outcome.kind === 'aborted') return;
    if (outcome.kind === 'transferred' && job.files.some((f) => !f.transferred)) {
      // A file was added between the run's last look and now: run again for it.
      this.table.setState(job, 'QUEUED');
    } else if (outcome.kind === 'transferred') {
      job.transferCompletionTime = Date.now();
      job.noProgressSince = null;
      job.retryAt = null;
      // Recovered: the error it had on the way is history (listErrors), not its state, as
      // BITS' GetError has nothing to report once a job has transferred.
      job.error = null;
      this.table.setState(job, 'TRANSFERRED');
      this.deps.notifier.transferred(job);
    } else {
      this.fail(job, outcome.error);
    }
    this.requestPlan();
  }

  private async preempt(jobId: JobId): Promise<void> {
    await this.table.withLock(jobId, async () => {
      if (!this.runs.has(jobId)) return;
      await this.stop(jobId);
      const job = this.table.peek(jobId);
      if (job !== undefined && (job.state === 'CONNECTING' || job.state === 'TRANSFERRING')) {
        this.table.setState(job, 'QUEUED');
      }
    });
    this.requestPlan();
  }

  /**
   * A run failed: TRANSIENT_ERROR with a retry timer, or ERROR.
   *
   * The no-progress timer starts at the first transient error and is cleared by progress; when
   * it has run out (at once for a timeout of 0) the job goes to ERROR. When the retry would
   * come after the deadline there is no retry: the job waits in TRANSIENT_ERROR until the
   * deadline and then goes to ERROR (BITS SetNoProgressTimeout / SetMinimumRetryDelay rules).
   */
  private fail(job: JobRecord, error: FerryError): void {
    const now = Date.now();
    if (!isTransient(this.deps.retryPolicy, error)) {
      this.table.recordError(job, error, 'ERROR');
      return;
    }
    if (rulesFor(job).retryDelay === 'engine') {
      // DO: the back-off's next step, its first after progress; kept as the job's delay.
      job.minimumRetryDelay = nextBackoffDelay(
        this.deps.retryBackoff ?? DO_RETRY_BACKOFF,
        job.noProgressSince === null ? null : job.minimumRetryDelay,
      );
    }
    job.noProgressSince ??= now;
    const deadline = job.noProgressSince + job.noProgressTimeout * 1000;
    if (job.noProgressTimeout === 0 || now >= deadline) {
      this.table.recordError(job, error, 'ERROR');
      return;
    }
    if (this.deps.gate.waitsForNetwork(error.code)) {
      // No network: no retry is spent, and the network's return retries it (setNetwork).
      job.retryAt = null;
      this.table.recordError(job, error, 'TRANSIENT_ERROR');
      return;
    }
    const retryAt = retryTime(this.deps.retryPolicy, now, job.minimumRetryDelay, error);
    job.retryAt = retryAt < deadline ? retryAt : null;
    this.table.recordError(job, error, 'TRANSIENT_ERROR');
    this.armTransientTimers(job);
  }

  private async retryNow(jobId: JobId): Promise<void> {
    await this.table.withLock(jobId, () => {
      const job = this.table.peek(jobId);
      if (job?.state !== 'TRANSIENT_ERROR') return;
      job.retryAt = null;
      this.table.setState(job, 'QUEUED');
    });
    this.requestPlan();
  }

  private async giveUp(jobId: JobId): Promise<void> {
    await this.table.withLock(jobId, () => {
      const job = this.table.peek(jobId);
      if (job?.state !== 'TRANSIENT_ERROR') return;
      const deadline = (job.noProgressSince ?? Date.now()) + job.noProgressTimeout * 1000;
      // The timeout may have been raised since this timer was armed.
      if (Date.now() < deadline) this.armTransientTimers(job);
      else this.giveUpNow(job);
    });
  }

  /** TRANSIENT_ERROR → ERROR: the no-progress timeout ran out. */
  private giveUpNow(job: JobRecord): void {
    job.retryAt = null;
    this.table.setState(job, 'ERROR');
    if (job.error !== null) this.deps.notifier.error(job, job.error);
  }
}
