import { randomUUID } from 'node:crypto';
import type { JobErrorInfo, JobId, JobMethod, JobPriority, JobType } from '../../app/index.js';
import {
  DEFAULT_NOTIFY_FLAGS,
  DEFAULT_TRANSFER_POLICY,
  DEFAULT_PRIORITY,
  FerryError,
  SUPPORTED_JOB_TYPES,
  isFinalState,
} from '../../app/index.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { deleteTemporaryFiles, renameTransferredFiles } from './job-files.js';
import { checkLocalName, checkRemoteName, tempNameFor } from './local-path.js';

import { JobRuns } from './job-runs.js';
import { trustForBoot } from './file-watermarks.js';
export type { JobManagerDeps } from './job-runs.js';

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
 * The job state machine's public half: every BITS method, on top of `JobRuns`.
 *
 * Every state change goes through the transition table in `app/transitions.ts`; a method
 * refused by it throws and changes nothing. Methods on one job are serialised, so a Suspend
 * racing a retry timer sees a consistent job.
 */
export class JobManager extends JobRuns {
  /**
   * Loads every stored job and puts interrupted ones back in the queue.
   *
   * A job that was CONNECTING or TRANSFERRING when the engine stopped (or crashed) becomes
   * QUEUED, as BITS does when its owner logs off; TRANSIENT_ERROR jobs get their timers back.
   * After a reboot a file trusts only its synced bytes (file-watermarks.ts); the next run
   * truncates its temporary file to them.
   */
  restore(): void {
    for (const job of this.deps.repo.loadJobs()) {
      this.jobs.set(job.id, job);
      for (const file of job.files) {
        if (trustForBoot(file, this.deps.bootId)) this.deps.repo.saveFile(job.id, file);
      }
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

  /** Another live (not final) job with a file to be saved at `localName`, if any. */
  private liveJobSaving(localName: string, except: JobId): JobRecord | undefined {
    for (const other of this.jobs.values()) {
      if (other.id === except || isFinalState(other.state)) continue;
      if (other.files.some((file) => file.localName === localName && !file.completed)) return other;
    }
    return undefined;
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
    const defaults = this.deps.settings();
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
        defaults.defaultMinimumRetryDelay,
        this.deps.retryPolicy.minimumRetryDelayFloor,
      ),
      noProgressTimeout: defaults.defaultNoProgressTimeout,
      notifyFlags: DEFAULT_NOTIFY_FLAGS,
      notifyCmdLine: null,
      proxy: defaults.defaultProxy,
      customHeaders: [],
      transferPolicy: DEFAULT_TRANSFER_POLICY,
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
        const localName = checkLocalName(spec.localName, this.deps.dataDir);
        if (taken.has(localName)) {
          throw new FerryError(
            'INPUT_LOCAL_NAME_DUPLICATE',
            'LOCAL_FILE',
            `localName '${localName}' is already used by another file of job '${job.displayName}'`,
          );
        }
        const other = this.liveJobSaving(localName, job.id);
        if (other !== undefined) {
          // Both would rename onto the same path at Complete: the later one silently wins.
          throw new FerryError(
            'INPUT_LOCAL_NAME_DUPLICATE',
            'LOCAL_FILE',
            `localName '${localName}' is already where job '${other.displayName}' (${other.id}) will save a file`,
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
          segments: null,
          bytesDurable: 0,
          segmentsDurable: null,
          bootId: null,
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
        renameTransferredFiles(job.files, (renamed) => {
          this.deps.repo.transaction(() => {
            for (const file of renamed) this.deps.repo.saveFile(job.id, file);
          });
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
      // A rename that failed before and succeeded now is no longer the job's error.
      job.error = null;
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
}
