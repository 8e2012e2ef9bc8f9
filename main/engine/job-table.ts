import type { JobErrorInfo, JobId, JobMethod, JobState } from '../../app/index.js';
import {
  FerryError,
  InvalidStateError,
  UnsupportedForFlavourError,
  absentReason,
  hasErrorCode,
  nextState,
} from '../../app/index.js';
import type { JobRecord } from './job-record.js';
import { JobLocks } from './job-locks.js';
import type { Notifier } from './notifier.js';
import type { JobRepo } from './store/job-repo.js';

/** What the table writes to and tells. */
export interface JobTableDeps {
  readonly repo: JobRepo;
  readonly notifier: Notifier;
  /** Called after every method run under a job's lock: a plan that ran meanwhile skipped it. */
  readonly afterMethod: () => void;
  /** Told of every state written, before it is stored (the time limits count active time). */
  readonly stateChanged?: (job: JobRecord) => void;
}

/**
 * The engine's jobs in memory, the lock of each, and the one place a job's state is written
 * (stored, then notified).
 *
 * Shared by the job manager (the BITS methods) and the run controller (runs, retries): both
 * read jobs here, serialise methods on one job through `withLock`, and change a state only
 * through `setState` or `recordError`.
 */
export class JobTable {
  private readonly jobs = new Map<JobId, JobRecord>();
  private readonly locks = new JobLocks();
  private closing = false;

  constructor(private readonly deps: JobTableDeps) {}

  /** Whether `close` has begun: nothing starts and every method is refused from then on. */
  get closed(): boolean {
    return this.closing;
  }

  /** Refuses every later method (ENGINE_CLOSED); the run controller stops the runs. */
  close(): void {
    this.closing = true;
  }

  /** Throws ENGINE_CLOSED once `close` has begun. */
  assertOpen(): void {
    if (this.closing) {
      throw new FerryError('ENGINE_CLOSED', 'GENERAL_QUEUE_MANAGER', 'The engine is closed');
    }
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

  /** Holds a job (created or loaded; the caller has stored it). */
  add(job: JobRecord): void {
    this.jobs.set(job.id, job);
  }

  /** Forgets a job (the caller has deleted it from the store). */
  remove(jobId: JobId): void {
    this.jobs.delete(jobId);
  }

  /** Whether a method on the job is running or waiting. */
  isBusy(jobId: JobId): boolean {
    return this.locks.isBusy(jobId);
  }

  /** Resolves when every queued method has finished. */
  async idle(): Promise<void> {
    await this.locks.idle();
  }

  /** Runs `fn` after every earlier method on the same job has finished. */
  async withLock<T>(jobId: JobId, fn: () => T | Promise<T>): Promise<T> {
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
      this.deps.afterMethod();
    }
  }

  /**
   * The state a method leads to under the job's flavour, or throws: INPUT_UNSUPPORTED_FOR_FLAVOUR
   * when the flavour lacks the method altogether, else InvalidStateError naming the state.
   */
  require(job: JobRecord, method: JobMethod): JobState {
    const next = nextState(method, job.state, job);
    if (next !== null) return next;
    const absent = absentReason(method, job);
    if (absent !== null) {
      throw new UnsupportedForFlavourError(job.displayName, method, job.state, absent);
    }
    throw new InvalidStateError(job.displayName, method, job.state);
  }

  /** Moves a job to `state`: stored, then notified (JobModification). */
  setState(job: JobRecord, state: JobState): void {
    const changed = job.state !== state;
    job.state = state;
    this.deps.stateChanged?.(job);
    this.touch(job);
    this.deps.notifier.modified(job, changed);
  }

  /** Stores a job's fields with a new modification time. */
  touch(job: JobRecord): void {
    job.modificationTime = Date.now();
    this.deps.repo.saveJob(job);
  }

  /** Records an error (ErrorCount, error log) and moves the job to `state`. */
  recordError(job: JobRecord, error: FerryError, state: JobState): void {
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
}

function protocolOf(url: string): string | null {
  try {
    return new URL(url).protocol.replace(/:$/, '');
  } catch {
    return null;
  }
}
