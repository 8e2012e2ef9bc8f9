import type { EngineSettings, JobErrorInfo, JobId, JobMethod, JobState } from '../../app/index.js';
import { FerryError, InvalidStateError, hasErrorCode, nextState } from '../../app/index.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { errorText } from './error-chain.js';
import { recordCheckpoint, resetWatermarks } from './file-watermarks.js';
import { JobLocks } from './job-locks.js';
import { runJob } from './job-runner.js';
import type { RunnerHost, RunOutcome } from './job-runner.js';
import type { Notifier } from './notifier.js';
import { isTransient, retryTime } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { JobTimers, planRuns } from './scheduler.js';
import type { JobRepo } from './store/job-repo.js';
import type { StateLog } from './store/state-log.js';
import type { BandwidthManager } from './transfer/speed/bandwidth.js';
import type { DispatcherPool } from './transfer/http/proxy.js';
import type { CheckpointPolicy, TransferLimits, TransferStart } from './transfer/types.js';
import { HOLD_LOG_CAUSES, NETWORK_ERROR_CODES, shiftedNoProgressSince } from './transfer-gate.js';
import type { HoldCause, TransferGate } from './transfer-gate.js';

/** What the manager is built from; `createEngine` assembles it. */
export interface JobManagerDeps {
  readonly repo: JobRepo;
  /** The data directory: no job may save a file inside it. */
  readonly dataDir: string;
  readonly notifier: Notifier;
  readonly dispatchers: DispatcherPool;
  readonly retryPolicy: RetryPolicy;
  /** Checkpoint windows; the sync cadence, unless given, is the `syncInterval` setting. */
  readonly checkpoint: Omit<CheckpointPolicy, 'syncIntervalMs'> & {
    readonly syncIntervalMs?: number;
  };
  /** This boot's identity, recorded with written progress (file-watermarks.ts). */
  readonly bootId: string;
  readonly limits: TransferLimits;
  readonly bandwidth: BandwidthManager;
  readonly user: string;
  /** Power, session and network conditions (transfer-gate.ts). */
  readonly gate: TransferGate;
  /** Each job's state log (store/state-log.ts). */
  readonly stateLog: StateLog;
  settings(): EngineSettings;
}

interface Run {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * The running half of the job state machine: the scheduler's plan, job runs and their ends,
 * transient-error retries and give-ups, and the one place state changes are written.
 *
 * `JobManager` adds the BITS methods on top. Every state change goes through `setState`
 * (persisted, then notified); methods on one job are serialised through `withLock`.
 */
export abstract class JobRuns {
  protected readonly jobs = new Map<JobId, JobRecord>();
  protected readonly runs = new Map<JobId, Run>();
  protected readonly locks = new JobLocks();
  protected readonly timers = new JobTimers();
  protected planQueued = false;
  protected closed = false;
  protected readonly host: RunnerHost;

  constructor(protected readonly deps: JobManagerDeps) {
    this.host = this.createRunnerHost();
  }

  /** Asks the scheduler to re-plan soon (coalesced into one pass). */
  requestPlan(): void {
    if (this.planQueued || this.closed) return;
    this.planQueued = true;
    setImmediate(() => {
      this.planQueued = false;
      this.plan();
    });
  }

  /**
   * Stops every transfer (jobs go back to QUEUED, their flushed bytes recorded) and timers.
   *
   * Used on quit: the next start resumes them where they were.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    const running = [...this.runs.keys()];
    await Promise.all(running.map((id) => this.stopRun(id)));
    for (const id of running) {
      const job = this.jobs.get(id);
      if (job !== undefined && (job.state === 'CONNECTING' || job.state === 'TRANSFERRING')) {
        job.state = 'QUEUED';
        this.deps.repo.saveJob(job);
      }
    }
    await this.locks.idle();
  }

  protected plan(): void {
    if (this.closed || !this.deps.gate.canStart()) return;
    const plan = planRuns(
      this.jobs.values(),
      new Set(this.runs.keys()),
      this.deps.settings().maxConcurrentJobs,
    );
    for (const id of plan.stop) void this.preempt(id);
    for (const id of plan.start) {
      const job = this.jobs.get(id);
      // A job with a method in progress is planned again when that method ends.
      if (job !== undefined && !this.locks.isBusy(id)) this.startRun(job);
    }
  }

  protected startRun(job: JobRecord): void {
    const controller = new AbortController();
    if (job.state !== 'CONNECTING') this.setState(job, 'CONNECTING');
    const done = runJob(job, controller.signal, this.host)
      .then((outcome) => {
        this.finishRun(job, controller, outcome);
      })
      .catch((cause: unknown) => {
        this.finishRun(job, controller, {
          kind: 'failed',
          error: new FerryError('INTERNAL', 'UNKNOWN', `Job run failed: ${errorText(cause)}`, {
            cause,
          }),
        });
      });
    this.runs.set(job.id, { controller, done });
  }

  protected finishRun(job: JobRecord, controller: AbortController, outcome: RunOutcome): void {
    if (this.runs.get(job.id)?.controller === controller) this.runs.delete(job.id);
    // An aborted run belongs to whoever aborted it: that method sets the state.
    if (controller.signal.aborted || outcome.kind === 'aborted') return;
    if (outcome.kind === 'transferred' && job.files.some((f) => !f.transferred)) {
      // A file was added between the run's last look and now: run again for it.
      this.setState(job, 'QUEUED');
    } else if (outcome.kind === 'transferred') {
      job.transferCompletionTime = Date.now();
      job.noProgressSince = null;
      job.retryAt = null;
      // Recovered: the error it had on the way is history (listErrors), not its state, as
      // BITS' GetError has nothing to report once a job has transferred.
      job.error = null;
      this.setState(job, 'TRANSFERRED');
      this.deps.notifier.transferred(job);
    } else {
      this.fail(job, outcome.error);
    }
    this.requestPlan();
  }

  protected async preempt(jobId: JobId): Promise<void> {
    await this.withLock(jobId, async () => {
      if (!this.runs.has(jobId)) return;
      await this.stopRun(jobId);
      const job = this.jobs.get(jobId);
      if (job !== undefined && (job.state === 'CONNECTING' || job.state === 'TRANSFERRING')) {
        this.setState(job, 'QUEUED');
      }
    });
    this.requestPlan();
  }

  protected async stopRun(jobId: JobId): Promise<void> {
    const run = this.runs.get(jobId);
    if (run === undefined) return;
    run.controller.abort(
      new FerryError('ENGINE_CLOSED', 'GENERAL_QUEUE_MANAGER', 'Transfer stopped by request'),
    );
    await run.done;
    this.runs.delete(jobId);
  }

  /**
   * A run failed: TRANSIENT_ERROR with a retry timer, or ERROR.
   *
   * The no-progress timer starts at the first transient error and is cleared by progress; when
   * it has run out (at once for a timeout of 0) the job goes to ERROR. When the retry would
   * come after the deadline there is no retry: the job waits in TRANSIENT_ERROR until the
   * deadline and then goes to ERROR (BITS SetNoProgressTimeout / SetMinimumRetryDelay rules).
   */
  protected fail(job: JobRecord, error: FerryError): void {
    const now = Date.now();
    if (!isTransient(this.deps.retryPolicy, error)) {
      this.recordError(job, error, 'ERROR');
      return;
    }
    job.noProgressSince ??= now;
    const deadline = job.noProgressSince + job.noProgressTimeout * 1000;
    if (job.noProgressTimeout === 0 || now >= deadline) {
      this.recordError(job, error, 'ERROR');
      return;
    }
    if (this.deps.gate.waitsForNetwork(error.code)) {
      // No network: no retry is spent, and the network's return retries it (setNetwork).
      job.retryAt = null;
      this.recordError(job, error, 'TRANSIENT_ERROR');
      return;
    }
    const retryAt = retryTime(this.deps.retryPolicy, now, job.minimumRetryDelay, error);
    job.retryAt = retryAt < deadline ? retryAt : null;
    this.recordError(job, error, 'TRANSIENT_ERROR');
    this.armTransientTimers(job);
  }

  /**
   * Holds transfers for `cause` (transfer-gate.ts): running jobs go back to QUEUED and none
   * starts until every cause is released.
   */
  async hold(cause: HoldCause): Promise<void> {
    this.assertOpen();
    this.deps.gate.hold(cause);
    const running = [...this.runs.keys()];
    await Promise.all(running.map((id) => this.preempt(id)));
    // Each job moved back to QUEUED gets the cause in its state log (the BITS logoff rule).
    for (const id of running) {
      const job = this.jobs.get(id);
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
      const job = this.jobs.get(id);
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
    if (this.closed) return;
    const gate = this.deps.gate;
    const now = Date.now();
    if (!online && !gate.goOffline(now)) return;
    const since = online ? gate.goOnline() : null;
    if (online && since === null) return;
    for (const job of this.jobs.values()) {
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

  /**
   * Re-plans a TRANSIENT_ERROR job's timers after its retry delay or no-progress timeout
   * changed: the retry moves to (last error + new delay), and a timeout that has already run
   * out (or is now 0) makes the job ERROR at once.
   */
  retimeTransient(job: JobRecord): void {
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

  protected armTransientTimers(job: JobRecord): void {
    const deadline = (job.noProgressSince ?? Date.now()) + job.noProgressTimeout * 1000;
    if (job.retryAt !== null && job.retryAt < deadline) {
      this.timers.set(job.id, 'retry', job.retryAt, () => void this.retryNow(job.id));
    } else {
      this.timers.set(job.id, 'giveUp', deadline, () => void this.giveUp(job.id));
    }
  }

  protected async retryNow(jobId: JobId): Promise<void> {
    await this.withLock(jobId, () => {
      const job = this.jobs.get(jobId);
      if (job?.state !== 'TRANSIENT_ERROR') return;
      job.retryAt = null;
      this.setState(job, 'QUEUED');
    });
    this.requestPlan();
  }

  protected async giveUp(jobId: JobId): Promise<void> {
    await this.withLock(jobId, () => {
      const job = this.jobs.get(jobId);
      if (job?.state !== 'TRANSIENT_ERROR') return;
      const deadline = (job.noProgressSince ?? Date.now()) + job.noProgressTimeout * 1000;
      // The timeout may have been raised since this timer was armed.
      if (Date.now() < deadline) this.armTransientTimers(job);
      else this.giveUpNow(job);
    });
  }

  /** TRANSIENT_ERROR → ERROR: the no-progress timeout ran out. */
  protected giveUpNow(job: JobRecord): void {
    job.retryAt = null;
    this.setState(job, 'ERROR');
    if (job.error !== null) this.deps.notifier.error(job, job.error);
  }

  /** Records an error (ErrorCount, error log) and moves the job to `state`. */
  protected recordError(job: JobRecord, error: FerryError, state: JobState): void {
    const file = error.fileIndex === undefined ? undefined : job.files[error.fileIndex];
    const info: JobErrorInfo = {
      context: error.context,
      code: error.code,
      message: error.message,
      fileIndex: error.fileIndex ?? null,
      httpStatus: error.httpStatus ?? null,
      sysCode: error.sysCode ?? null,
      protocol: file === undefined ? null : protocolOf(file.remoteName),
      time: Date.now(),
    };
    job.errorCount++;
    job.error = info;
    this.deps.repo.transaction(() => {
      this.deps.repo.appendError(job.id, info);
      this.setState(job, state);
    });
    if (state === 'ERROR') this.deps.notifier.error(job, info);
  }

  protected setState(job: JobRecord, state: JobState): void {
    const changed = job.state !== state;
    job.state = state;
    this.touch(job);
    this.deps.notifier.modified(job, changed);
  }

  protected touch(job: JobRecord): void {
    job.modificationTime = Date.now();
    this.deps.repo.saveJob(job);
  }

  /** The state a method leads to, or throws InvalidStateError naming the method and state. */
  protected require(job: JobRecord, method: JobMethod): JobState {
    const next = nextState(method, job.state);
    if (next === null) throw new InvalidStateError(job.displayName, method, job.state);
    return next;
  }

  /** Throws ENGINE_CLOSED once `close` has begun. */
  assertOpen(): void {
    if (this.closed) {
      throw new FerryError('ENGINE_CLOSED', 'GENERAL_QUEUE_MANAGER', 'The engine is closed');
    }
  }

  /** Runs `fn` after every earlier method on the same job has finished. */
  protected async withLock<T>(jobId: JobId, fn: () => T | Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await this.locks.run(jobId, async () => {
        try {
          return await fn();
        } catch (error) {
          if (hasErrorCode(error, 'STORE_FAILED')) this.restoreStored(jobId);
          throw error;
        }
      });
    } finally {
      // A plan that ran meanwhile skipped this job; look at it again.
      this.requestPlan();
    }
  }

  /**
   * Puts a job back as the store has it, after a write the store refused (a full disk): the
   * method changed the record in memory before its transaction failed, and a refused command
   * must leave the job as it was.
   */
  private restoreStored(jobId: JobId): void {
    const current = this.jobs.get(jobId);
    let stored: JobRecord | undefined;
    try {
      stored = this.deps.repo.loadJob(jobId);
    } catch {
      return;
    }
    if (current === undefined || stored === undefined) return;
    const { files, ...fields } = stored;
    Object.assign(current, fields);
    // Files the failed method added go; the others stay the same objects, which a running
    // transfer holds.
    if (files.length < current.files.length) current.files.length = files.length;
  }

  protected createRunnerHost(): RunnerHost {
    const { repo, notifier } = this.deps;
    // Files whose size and validator arrived but are not stored yet: their first checkpoint
    // writes the whole row, so recorded bytes never go without the validator they belong to.
    const unsaved = new WeakSet<FileRecord>();
    const { checkpoint, bootId } = this.deps;
    const settings = (): EngineSettings => this.deps.settings();
    return {
      get checkpoint() {
        return {
          ...checkpoint,
          syncIntervalMs: checkpoint.syncIntervalMs ?? settings().syncInterval * 1000,
        };
      },
      limits: this.deps.limits,
      userAgent: () => this.deps.settings().userAgent,
      connectionFor: (url, proxy) => this.deps.dispatchers.connectionFor(url, proxy),
      concurrentFiles: () => this.deps.settings().concurrentFilesPerJob,
      segmentation: (job) => {
        const settings = this.deps.settings();
        return {
          connections: () =>
            job.transferPolicy.connectionsPerFile ?? this.deps.settings().connectionsPerFile,
          minSegmentSize: settings.minSegmentSize,
          stallTimeoutMs: settings.segmentStallTimeout * 1000,
        };
      },
      bandwidth: (job) => this.deps.bandwidth.register(job),
      onStart: (job: JobRecord, file: FileRecord, start: TransferStart) => {
        const shrinks = start.restarted && (file.bytesOnDisk > 0 || file.segments !== null);
        if (start.restarted) {
          resetWatermarks(file);
          file.bytesLive = 0;
        }
        file.bytesTotal = start.totalBytes;
        file.validator = start.validator;
        // Synchronous and before any byte is written: a shrinking record must land first.
        // Otherwise nothing recorded depends on it yet, and the first checkpoint writes it.
        if (shrinks) repo.saveFile(job.id, file);
        else unsaved.add(file);
        if (job.state === 'CONNECTING') this.setState(job, 'TRANSFERRING');
      },
      onLiveProgress: (job) => {
        notifier.modified(job, false);
      },
      onCheckpoint: (job, file, bytesOnDisk, segments, durable) => {
        const progressed = bytesOnDisk > file.bytesOnDisk;
        const synced = durable && bytesOnDisk > file.bytesDurable;
        if (progressed) job.noProgressSince = null;
        recordCheckpoint(file, bytesOnDisk, segments, durable, bootId);
        file.bytesLive = Math.max(file.bytesLive, bytesOnDisk);
        // The file's last checkpoint is written with its transferred flag, in a batch (the
        // whole row, validator included, so an unsaved file needs no write of its own here: a
        // crash before the batch only loses the record of bytes that are fetched again).
        if (file.bytesTotal !== null && bytesOnDisk === file.bytesTotal) return;
        if (!progressed && !synced && !unsaved.has(file)) return;
        job.modificationTime = Date.now();
        repo.progressTransaction(() => {
          if (unsaved.delete(file)) repo.saveFile(job.id, file);
          else repo.checkpointFile(job.id, file);
          repo.saveJob(job);
        });
        notifier.modified(job, false);
      },
      commitTransferred: (job, files) => {
        job.noProgressSince = null;
        job.modificationTime = Date.now();
        repo.transaction(() => {
          for (const file of files) {
            unsaved.delete(file);
            repo.saveFile(job.id, file);
          }
          repo.saveJob(job);
        });
        for (const file of files) notifier.fileTransferred(job, file);
      },
      saveFile: (job, file) => {
        repo.saveFile(job.id, file);
      },
    };
  }
}

function protocolOf(url: string): string | null {
  try {
    return new URL(url).protocol.replace(/:$/, '');
  } catch {
    return null;
  }
}
