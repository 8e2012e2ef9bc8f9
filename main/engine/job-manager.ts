import { randomUUID } from 'node:crypto';
import type {
  EngineSettings,
  JobErrorInfo,
  JobId,
  JobMethod,
  JobPriority,
  JobState,
  JobType,
} from '../../app/index.js';
import {
  DEFAULT_MINIMUM_RETRY_DELAY,
  DEFAULT_NO_PROGRESS_TIMEOUT,
  DEFAULT_NOTIFY_FLAGS,
  DEFAULT_PRIORITY,
  DEFAULT_PROXY_SETTINGS,
  FerryError,
  InvalidStateError,
  SUPPORTED_JOB_TYPES,
  isFinalState,
  nextState,
} from '../../app/index.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { deleteTemporaryFiles, errorText, renameTransferredFiles } from './job-files.js';
import { JobLocks } from './job-locks.js';
import { runJob } from './job-runner.js';
import type { RunnerHost, RunOutcome } from './job-runner.js';
import { checkLocalName, checkRemoteName, tempNameFor } from './local-path.js';
import type { Notifier } from './notifier.js';
import { isTransient, retryTime } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { JobTimers, planRuns } from './scheduler.js';
import type { JobRepo } from './store/job-repo.js';
import type { DispatcherPool } from './transfer/proxy.js';
import type { CheckpointPolicy, TransferLimits, TransferStart } from './transfer/types.js';

/** What the manager is built from; `createEngine` assembles it. */
export interface JobManagerDeps {
  readonly repo: JobRepo;
  readonly notifier: Notifier;
  readonly dispatchers: DispatcherPool;
  readonly retryPolicy: RetryPolicy;
  readonly checkpoint: CheckpointPolicy;
  readonly limits: TransferLimits;
  readonly user: string;
  settings(): EngineSettings;
}

interface Run {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** What Complete did beyond succeeding (BITS' BG_S_PARTIAL_COMPLETE / BG_S_UNABLE_TO_DELETE_FILES). */
export interface CompleteResult {
  /** Some files had not transferred and were dropped. */
  readonly partial: boolean;
  /** Some temporary files could not be deleted. */
  readonly unableToDeleteFiles: boolean;
}

/** What Cancel did beyond succeeding (BITS' BG_S_UNABLE_TO_DELETE_FILES). */
export interface CancelResult {
  readonly unableToDeleteFiles: boolean;
}

/**
 * The job state machine: owns every job record, runs jobs, and applies the BITS methods.
 *
 * Every state change goes through the transition table in `app/transitions.ts`; a method
 * refused by it throws and changes nothing. Methods on one job are serialised, so a Suspend
 * racing a retry timer sees a consistent job.
 */
export class JobManager {
  private readonly jobs = new Map<JobId, JobRecord>();
  private readonly runs = new Map<JobId, Run>();
  private readonly locks = new JobLocks();
  private readonly timers = new JobTimers();
  private planQueued = false;
  private closed = false;
  private readonly host: RunnerHost;

  constructor(private readonly deps: JobManagerDeps) {
    this.host = this.createRunnerHost();
  }

  /**
   * Loads every stored job and puts interrupted ones back in the queue.
   *
   * A job that was CONNECTING or TRANSFERRING when the engine stopped (or crashed) becomes
   * QUEUED, as BITS does when its owner logs off; TRANSIENT_ERROR jobs get their timers back.
   */
  restore(): void {
    for (const job of this.deps.repo.loadJobs()) {
      this.jobs.set(job.id, job);
      if (job.state === 'CONNECTING' || job.state === 'TRANSFERRING') {
        job.state = 'QUEUED';
        this.deps.repo.saveJob(job);
      } else if (job.state === 'TRANSIENT_ERROR') {
        this.armTransientTimers(job);
      }
    }
    this.requestPlan();
  }

  /** Every job record, final ones included. */
  all(): IterableIterator<JobRecord> {
    return this.jobs.values();
  }

  /** A job record by id, or undefined. */
  peek(jobId: JobId): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  /** A job record by id; throws JOB_NOT_FOUND. */
  get(jobId: JobId): JobRecord {
    const job = this.jobs.get(jobId);
    if (job === undefined) {
      throw new FerryError('JOB_NOT_FOUND', 'GENERAL_QUEUE_MANAGER', `No job with id '${jobId}'`);
    }
    return job;
  }

  /** Creates a job: SUSPENDED, with a fresh GUID and BITS defaults. */
  create(input: {
    displayName: string;
    type: JobType;
    description?: string | undefined;
    priority?: JobPriority | undefined;
  }): JobRecord {
    this.assertOpen();
    if (!SUPPORTED_JOB_TYPES.includes(input.type)) {
      throw new FerryError(
        'JOB_TYPE_NOT_SUPPORTED',
        'GENERAL_QUEUE_MANAGER',
        `${input.type} jobs are not supported yet; only DOWNLOAD jobs are`,
      );
    }
    const now = Date.now();
    const job: JobRecord = {
      id: randomUUID() as JobId,
      seq: this.deps.repo.nextSeq(),
      type: input.type,
      displayName: input.displayName,
      description: input.description ?? '',
      state: 'SUSPENDED',
      priority: input.priority ?? DEFAULT_PRIORITY,
      owner: this.deps.user,
      creationTime: now,
      modificationTime: now,
      transferCompletionTime: null,
      minimumRetryDelay: Math.max(
        DEFAULT_MINIMUM_RETRY_DELAY,
        this.deps.retryPolicy.minimumRetryDelayFloor,
      ),
      noProgressTimeout: DEFAULT_NO_PROGRESS_TIMEOUT,
      notifyFlags: DEFAULT_NOTIFY_FLAGS,
      notifyCmdLine: null,
      proxy: DEFAULT_PROXY_SETTINGS,
      customHeaders: [],
      errorCount: 0,
      error: null,
      noProgressSince: null,
      retryAt: null,
      files: [],
    };
    this.deps.repo.insertJob(job);
    this.jobs.set(job.id, job);
    this.deps.notifier.added(job);
    return job;
  }

  /**
   * Adds files (AddFile / AddFileSet): all of them, or none when one is invalid.
   *
   * A TRANSFERRED job has work again and becomes SUSPENDED, waiting for Resume.
   */
  async addFiles(
    jobId: JobId,
    specs: readonly { remoteUrl: string; localName: string }[],
  ): Promise<void> {
    await this.withLock(jobId, () => {
      const job = this.get(jobId);
      const next = this.require(job, 'addFile');
      const taken = new Set(job.files.map((f) => f.localName));
      const files: FileRecord[] = specs.map((spec, i) => {
        checkRemoteName(spec.remoteUrl);
        const localName = checkLocalName(spec.localName);
        if (taken.has(localName)) {
          throw new FerryError(
            'INPUT_LOCAL_NAME_DUPLICATE',
            'LOCAL_FILE',
            `Local name '${localName}' is already used by another file of job '${job.displayName}'`,
          );
        }
        taken.add(localName);
        const index = job.files.length + i;
        return {
          index,
          remoteName: spec.remoteUrl,
          localName,
          tempName: tempNameFor(localName, job.id, index),
          bytesTotal: null,
          bytesOnDisk: 0,
          bytesLive: 0,
          validator: null,
          transferred: false,
          completed: false,
        };
      });
      const stateChanged = next !== job.state;
      this.deps.repo.transaction(() => {
        this.deps.repo.insertFiles(job.id, files);
        job.files.push(...files);
        if (stateChanged) {
          job.state = next;
          job.transferCompletionTime = null;
        }
        this.touch(job);
      });
      this.deps.notifier.modified(job, stateChanged);
    });
  }

  /**
   * Resume: SUSPENDED, ERROR and TRANSIENT_ERROR jobs are queued (and retried at once).
   *
   * A job with no files refuses with JOB_EMPTY and stays as it is.
   */
  async resume(jobId: JobId): Promise<void> {
    await this.withLock(jobId, () => {
      const job = this.get(jobId);
      const next = this.require(job, 'resume');
      if (job.files.length === 0) {
        throw new FerryError(
          'JOB_EMPTY',
          'GENERAL_QUEUE_MANAGER',
          `Cannot resume job '${job.displayName}': it has no files`,
        );
      }
      if (next === job.state) return;
      this.timers.clear(job.id);
      job.retryAt = null;
      job.noProgressSince = null;
      job.error = null;
      this.setState(job, next);
    });
    this.requestPlan();
  }

  /** Suspend: stops any transfer (keeping its flushed bytes) and parks the job. */
  async suspend(jobId: JobId): Promise<void> {
    await this.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.require(job, 'suspend');
      this.timers.clear(job.id);
      await this.stopRun(job.id);
      job.retryAt = null;
      this.setState(job, next);
    });
    this.requestPlan();
  }

  /**
   * Complete: renames every transferred file to its final name, deletes the rest, ACKNOWLEDGED.
   *
   * Renames come first and each is atomic (same folder), so no partial file ever appears at a
   * final name. If one fails, the job keeps its error and stays TRANSFERRED (or ERROR when
   * not everything had transferred), the renamed files stay renamed, and Complete can be
   * called again.
   */
  async complete(jobId: JobId): Promise<CompleteResult> {
    const result = await this.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.require(job, 'complete');
      this.timers.clear(job.id);
      await this.stopRun(job.id);
      try {
        renameTransferredFiles(job.files, (file) => {
          this.deps.repo.saveFile(job.id, file);
        });
      } catch (error) {
        const allTransferred = job.files.every((f) => f.transferred);
        if (error instanceof FerryError) {
          this.recordError(job, error, allTransferred ? 'TRANSFERRED' : 'ERROR');
        }
        throw error;
      }
      const unableToDeleteFiles = !deleteTemporaryFiles(job.files, (f) => !f.transferred);
      job.retryAt = null;
      this.setState(job, next);
      return { partial: job.files.some((f) => !f.transferred), unableToDeleteFiles };
    });
    this.requestPlan();
    return result;
  }

  /** Cancel: stops any transfer, deletes every temporary file, CANCELLED. */
  async cancel(jobId: JobId): Promise<CancelResult> {
    const result = await this.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.require(job, 'cancel');
      this.timers.clear(job.id);
      await this.stopRun(job.id);
      const unableToDeleteFiles = !deleteTemporaryFiles(job.files, (f) => !f.completed);
      job.retryAt = null;
      this.setState(job, next);
      return { unableToDeleteFiles };
    });
    this.requestPlan();
    return result;
  }

  /**
   * Applies a setter (every non-final state); `replan` when it can change who runs.
   *
   * The change is validated by the caller's schema; here only the state is checked.
   */
  async setProperty(
    jobId: JobId,
    mutate: (job: JobRecord) => void,
    options: { method?: JobMethod; replan?: boolean } = {},
  ): Promise<void> {
    await this.withLock(jobId, () => {
      const job = this.get(jobId);
      this.require(job, options.method ?? 'setProperty');
      mutate(job);
      this.deps.repo.transaction(() => {
        this.touch(job);
      });
      this.deps.notifier.modified(job, false);
    });
    if (options.replan === true) this.requestPlan();
  }

  /**
   * Points files at new URLs (SetRemoteName / ReplaceRemotePrefix): link refresh.
   *
   * A running job restarts its current request with the new URL. Bytes already on disk are
   * kept; the transfer re-validates them (same ETag or Last-Modified and size) and restarts
   * the file from zero when the new URL serves something else.
   */
  async setRemoteNames(
    jobId: JobId,
    method: 'setRemoteName' | 'replaceRemotePrefix',
    rename: (job: JobRecord) => Map<number, string>,
  ): Promise<number> {
    const changed = await this.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.require(job, method);
      const changes = rename(job);
      for (const url of changes.values()) checkRemoteName(url);
      if (changes.size === 0) return 0;
      await this.stopRun(job.id);
      this.deps.repo.transaction(() => {
        for (const [index, url] of changes) {
          const file = job.files[index];
          if (file === undefined) continue;
          file.remoteName = url;
          this.deps.repo.saveFile(job.id, file);
        }
        this.touch(job);
      });
      this.setState(job, next);
      return changes.size;
    });
    this.requestPlan();
    return changed;
  }

  /** A job's error log, oldest first. */
  errors(jobId: JobId): JobErrorInfo[] {
    this.get(jobId);
    return this.deps.repo.listErrors(jobId);
  }

  /** Deletes a final job from history; throws JOB_NOT_IN_HISTORY for a live one. */
  removeFromHistory(jobId: JobId): void {
    const job = this.get(jobId);
    if (!isFinalState(job.state)) {
      throw new FerryError(
        'JOB_NOT_IN_HISTORY',
        'GENERAL_QUEUE_MANAGER',
        `Job '${job.displayName}' is ${job.state}, not in history: cancel or complete it first`,
      );
    }
    this.deps.repo.deleteJob(job.id);
    this.jobs.delete(job.id);
    this.deps.notifier.removed(job.id);
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

  private plan(): void {
    if (this.closed) return;
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

  private startRun(job: JobRecord): void {
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

  private finishRun(job: JobRecord, controller: AbortController, outcome: RunOutcome): void {
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
      this.setState(job, 'TRANSFERRED');
      this.deps.notifier.transferred(job);
    } else {
      this.fail(job, outcome.error);
    }
    this.requestPlan();
  }

  private async preempt(jobId: JobId): Promise<void> {
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

  private async stopRun(jobId: JobId): Promise<void> {
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
  private fail(job: JobRecord, error: FerryError): void {
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
    const retryAt = retryTime(this.deps.retryPolicy, now, job.minimumRetryDelay, error);
    job.retryAt = retryAt < deadline ? retryAt : null;
    this.recordError(job, error, 'TRANSIENT_ERROR');
    this.armTransientTimers(job);
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

  private armTransientTimers(job: JobRecord): void {
    const deadline = (job.noProgressSince ?? Date.now()) + job.noProgressTimeout * 1000;
    if (job.retryAt !== null && job.retryAt < deadline) {
      this.timers.set(job.id, 'retry', job.retryAt, () => void this.retryNow(job.id));
    } else {
      this.timers.set(job.id, 'giveUp', deadline, () => void this.giveUp(job.id));
    }
  }

  private async retryNow(jobId: JobId): Promise<void> {
    await this.withLock(jobId, () => {
      const job = this.jobs.get(jobId);
      if (job?.state !== 'TRANSIENT_ERROR') return;
      job.retryAt = null;
      this.setState(job, 'QUEUED');
    });
    this.requestPlan();
  }

  private async giveUp(jobId: JobId): Promise<void> {
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
  private giveUpNow(job: JobRecord): void {
    job.retryAt = null;
    this.setState(job, 'ERROR');
    if (job.error !== null) this.deps.notifier.error(job, job.error);
  }

  /** Records an error (ErrorCount, error log) and moves the job to `state`. */
  private recordError(job: JobRecord, error: FerryError, state: JobState): void {
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

  private setState(job: JobRecord, state: JobState): void {
    const changed = job.state !== state;
    job.state = state;
    this.touch(job);
    this.deps.notifier.modified(job, changed);
  }

  private touch(job: JobRecord): void {
    job.modificationTime = Date.now();
    this.deps.repo.saveJob(job);
  }

  /** The state a method leads to, or throws InvalidStateError naming the method and state. */
  private require(job: JobRecord, method: JobMethod): JobState {
    const next = nextState(method, job.state);
    if (next === null) throw new InvalidStateError(job.displayName, method, job.state);
    return next;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new FerryError('ENGINE_CLOSED', 'GENERAL_QUEUE_MANAGER', 'The engine is closed');
    }
  }

  /** Runs `fn` after every earlier method on the same job has finished. */
  private async withLock<T>(jobId: JobId, fn: () => T | Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await this.locks.run(jobId, fn);
    } finally {
      // A plan that ran meanwhile skipped this job; look at it again.
      this.requestPlan();
    }
  }

  private createRunnerHost(): RunnerHost {
    const { repo, notifier } = this.deps;
    return {
      checkpoint: this.deps.checkpoint,
      limits: this.deps.limits,
      userAgent: () => this.deps.settings().userAgent,
      dispatcherFor: (url, proxy) => this.deps.dispatchers.dispatcherFor(url, proxy),
      onStart: (job: JobRecord, file: FileRecord, start: TransferStart) => {
        if (start.restarted) {
          file.bytesOnDisk = 0;
          file.bytesLive = 0;
        }
        file.bytesTotal = start.totalBytes;
        file.validator = start.validator;
        // Synchronous and before any byte is written: a shrinking record must land first.
        repo.saveFile(job.id, file);
        if (job.state === 'CONNECTING') this.setState(job, 'TRANSFERRING');
      },
      onLiveProgress: (job) => {
        notifier.modified(job, false);
      },
      onCheckpoint: (job, file, bytesOnDisk) => {
        if (bytesOnDisk > file.bytesOnDisk) job.noProgressSince = null;
        file.bytesOnDisk = bytesOnDisk;
        file.bytesLive = Math.max(file.bytesLive, bytesOnDisk);
        job.modificationTime = Date.now();
        repo.transaction(() => {
          repo.checkpointFile(job.id, file.index, bytesOnDisk);
          repo.saveJob(job);
        });
        notifier.modified(job, false);
      },
      onFileTransferred: (job, file) => {
        job.noProgressSince = null;
        notifier.fileTransferred(job, file);
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
