import { randomUUID } from 'node:crypto';
import type {
  JobErrorInfo,
  JobFlavour,
  JobId,
  JobMethod,
  JobPriority,
  JobType,
  RetryBackoff,
} from '../../app/index.js';
import {
  DEFAULT_JOB_FLAVOUR,
  DO_RETRY_BACKOFF,
  DEFAULT_NOTIFY_FLAGS,
  DEFAULT_TRANSFER_POLICY,
  DEFAULT_PRIORITY,
  FerryError,
  SUPPORTED_JOB_TYPES,
  isUploadType,
  isFinalState,
} from '../../app/index.js';
import { createAttemptHost } from './attempt-host.js';
import type { AttemptHostDeps } from './attempt-host.js';
import { resetWatermarks, trustForBoot } from './file-watermarks.js';
import { splitUrlCredentials } from './url-credentials.js';
import { rejectedByCallerError } from './validation/file-validation.js';
import { replaceCredential } from '../../app/model/credentials.js';
import type { JobCredential } from '../../app/model/credentials.js';
import type { JobRecord } from './job-record.js';
import { deleteTemporaryFiles, renameTransferredFiles } from './job-files.js';
import { JobTable } from './job-table.js';
import { newDownloadFiles, newUploadFile } from './new-files.js';
import type { NewFileSpec } from './new-files.js';
import { checkRemoteName } from './local-path.js';
import { floorRetryDelay } from './retry-policy.js';
import { RunController } from './run-controller.js';
import type { RunControllerDeps } from './run-controller.js';
import type { HoldCause } from './transfer-gate.js';
import { SYSTEM_CLOCK } from './clock.js';
import type { EngineClock } from './clock.js';
import { JobTimeLimits } from './time-limits.js';
import { runTransferAttempt } from './transfer-attempt.js';
import { DEFAULT_FRAGMENT_SIZE, UploadJobs, checkUploadUrl } from './upload-jobs.js';
import type { UploadRepo } from './store/upload-repo.js';

/** What the manager is built from; `createEngine` assembles it. */
export interface JobManagerDeps extends AttemptHostDeps, RunControllerDeps {
  /** The data directory: no job may save a file inside it. */
  readonly dataDir: string;
  readonly user: string;
  /** The clock of the time limits (time-limits.ts): the system's unless a test gives one. */
  readonly clock?: EngineClock;
  /** Upload jobs' sessions and replies (upload-jobs.ts). */
  readonly uploadRepo: UploadRepo;
  /** Most bytes per upload Fragment packet (default 1 MiB). */
  readonly fragmentSize?: number;
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
 * The job state machine: every BITS method, over the job table (jobs, locks, state writes)
 * and a run controller (start, stop, re-time, outcome), which it holds.
 *
 * Every state change goes through the transition table in `app/transitions.ts`; a method
 * refused by it throws and changes nothing. Methods on one job are serialised, so a Suspend
 * racing a retry timer sees a consistent job.
 */
export class JobManager {
  private readonly table: JobTable;
  private readonly runs: RunController;
  private readonly limits: JobTimeLimits;
  private readonly clock: EngineClock;
  private readonly retryBackoff: RetryBackoff;

  private readonly uploads: UploadJobs;

  constructor(private readonly deps: JobManagerDeps) {
    this.uploads = new UploadJobs({
      repo: deps.uploadRepo,
      dataDir: deps.dataDir,
      fragmentSize: deps.fragmentSize ?? DEFAULT_FRAGMENT_SIZE,
    });
    this.clock = deps.clock ?? SYSTEM_CLOCK;
    this.retryBackoff = deps.retryBackoff ?? DO_RETRY_BACKOFF;
    this.limits = new JobTimeLimits({
      clock: this.clock,
      inactivityTimeout: () => deps.settings().jobInactivityTimeout,
      jobs: () => this.table.all(),
      downloadTimeExpired: (jobId) => void this.expireDownloadTime(jobId),
      inactive: (jobId) => void this.cancelInactive(jobId),
    });
    this.table = new JobTable({
      repo: deps.repo,
      notifier: deps.notifier,
      afterMethod: () => {
        this.runs.requestPlan();
      },
      stateChanged: (job) => {
        this.limits.stateChanged(job);
      },
    });
    const progressed = (job: JobRecord): void => {
      this.limits.touched(job);
    };
    this.runs = new RunController(
      deps,
      this.table,
      createAttemptHost({ ...deps, progressed }, this.table),
      (job, signal, host) =>
        isUploadType(job.type)
          ? this.uploads.attempt(job, signal, host)
          : runTransferAttempt(job, signal, host),
    );
  }

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
      this.table.add(job);
      for (const file of job.files) {
        if (trustForBoot(file, this.deps.bootId)) this.deps.repo.saveFile(job.id, file);
      }
      if (job.state === 'CONNECTING' || job.state === 'TRANSFERRING') {
        job.state = 'QUEUED';
        this.deps.repo.saveJob(job);
      } else if (job.state === 'TRANSIENT_ERROR') {
        this.runs.armTransientTimers(job);
      }
      this.limits.track(job);
    }
    this.uploads.restore(this.table.all());
    this.limits.start();
    this.runs.requestPlan();
  }

  /** Every job record, final ones included. */
  all(): IterableIterator<JobRecord> {
    return this.table.all();
  }

  /** A job record by id, or undefined. */
  peek(jobId: JobId): JobRecord | undefined {
    return this.table.peek(jobId);
  }

  /** A job record by id; throws JOB_NOT_FOUND. */
  get(jobId: JobId): JobRecord {
    return this.table.get(jobId);
  }

  /** Throws ENGINE_CLOSED once `close` has begun. */
  assertOpen(): void {
    this.table.assertOpen();
  }

  /** Asks the scheduler to re-plan soon (after a settings change). */
  requestPlan(): void {
    this.runs.requestPlan();
  }

  /**
   * Stops every transfer (jobs go back to QUEUED, their flushed bytes recorded) and timers.
   *
   * Used on quit: the next start resumes them where they were.
   */
  async close(): Promise<void> {
    await this.runs.close();
    this.limits.close();
    // The runs stopped without a state write: end their active stints here.
    for (const job of this.table.all()) {
      if (job.activeSince === null) continue;
      this.limits.stateChanged(job);
      this.deps.repo.saveJob(job);
    }
  }

  /** Holds transfers for a power or session cause (run-controller.ts). */
  async hold(cause: HoldCause): Promise<void> {
    await this.runs.hold(cause);
  }

  /** Releases one hold; queued jobs start when none is left. */
  release(cause: HoldCause): void {
    this.runs.release(cause);
  }

  /** The network went away or came back (run-controller.ts). */
  setNetwork(online: boolean): void {
    this.runs.setNetwork(online);
  }

  /** Creates a job: SUSPENDED, with a fresh GUID and BITS defaults. */
  create(input: {
    displayName: string;
    type: JobType;
    description?: string | undefined;
    priority?: JobPriority | undefined;
    flavour?: JobFlavour | undefined;
  }): JobRecord {
    this.table.assertOpen();
    if (isUploadType(input.type) && input.flavour === 'DO') {
      throw new FerryError(
        'INPUT_UNSUPPORTED_FOR_FLAVOUR',
        'GENERAL_QUEUE_MANAGER',
        `Delivery Optimization (DO) jobs only download: an ${input.type} job is a BITS job`,
      );
    }
    if (!SUPPORTED_JOB_TYPES.includes(input.type)) {
      throw new FerryError(
        'JOB_TYPE_NOT_SUPPORTED',
        'GENERAL_QUEUE_MANAGER',
        `${input.type} jobs are not supported yet; only DOWNLOAD jobs are`,
      );
    }
    const now = Date.now();
    const defaults = this.deps.settings();
    const flavour = input.flavour ?? DEFAULT_JOB_FLAVOUR;
    const job: JobRecord = {
      id: randomUUID() as JobId,
      seq: this.deps.repo.nextSeq(),
      type: input.type,
      flavour,
      displayName: input.displayName,
      description: input.description ?? '',
      state: 'SUSPENDED',
      priority: input.priority ?? DEFAULT_PRIORITY,
      owner: this.deps.user,
      creationTime: now,
      modificationTime: now,
      transferCompletionTime: null,
      // A DO job's delay is its back-off's current step, the first one until it fails.
      minimumRetryDelay:
        flavour === 'DO'
          ? this.retryBackoff.firstSeconds
          : floorRetryDelay(this.deps.retryPolicy, defaults.defaultMinimumRetryDelay),
      noProgressTimeout: defaults.defaultNoProgressTimeout,
      maximumDownloadTime: defaults.defaultMaximumDownloadTime,
      activeTime: 0,
      activeSince: null,
      lastActivity: this.clock.now(),
      notifyFlags: DEFAULT_NOTIFY_FLAGS,
      notifyCmdLine: null,
      proxy: defaults.defaultProxy,
      customHeaders: [],
      transferPolicy: DEFAULT_TRANSFER_POLICY,
      credentials: [],
      errorCount: 0,
      error: null,
      noProgressSince: null,
      retryAt: null,
      files: [],
    };
    this.deps.repo.transaction(() => {
      this.deps.repo.insertJob(job);
      this.uploads.created(job);
    });
    this.table.add(job);
    this.deps.notifier.added(job);
    return job;
  }

  /**
   * Adds files (AddFile / AddFileSet): all of them, or none when one is invalid.
   *
   * A TRANSFERRED job has work again and becomes SUSPENDED, waiting for Resume.
   */
  async addFiles(jobId: JobId, given: readonly NewFileSpec[]): Promise<void> {
    // A URL's user:password@ becomes the job's SERVER credentials; the URL is kept without it.
    const split = given.map((spec) => splitUrlCredentials(spec.remoteUrl));
    const specs = given.map((spec, i) => ({ ...spec, remoteUrl: split[i]?.remoteUrl ?? '' }));
    const fromUrls = split.flatMap((s) => s.credentials);
    await this.table.withLock(jobId, () => {
      const job = this.get(jobId);
      const next = this.table.require(job, 'addFile');
      if (isUploadType(job.type)) {
        this.addUploadFile(job, next, specs);
        if (fromUrls.length > 0) this.adoptCredentials(job, fromUrls);
        return;
      }
      this.limits.touched(job);
      const files = newDownloadFiles(job, specs, this.deps.dataDir, () => this.table.all());
      const stateChanged = next !== job.state;
      this.deps.repo.transaction(() => {
        this.deps.repo.insertFiles(job.id, files);
        job.files.push(...files);
        for (const credential of fromUrls) {
          job.credentials = replaceCredential(job.credentials, credential);
        }
        if (stateChanged) {
          job.state = next;
          job.transferCompletionTime = null;
        }
        this.table.touch(job);
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
    await this.table.withLock(jobId, () => {
      const job = this.get(jobId);
      const next = this.table.require(job, 'resume');
      if (job.files.length === 0) {
        throw new FerryError(
          'JOB_EMPTY',
          'GENERAL_QUEUE_MANAGER',
          `Cannot resume job '${job.displayName}': it has no files`,
        );
      }
      // Resume gives the job its whole maximum download time again (BITS).
      this.limits.resumed(job);
      if (next === job.state) {
        this.deps.repo.saveJob(job);
        return;
      }
      this.runs.clearTimers(job.id);
      job.retryAt = null;
      job.noProgressSince = null;
      job.error = null;
      this.table.setState(job, next);
    });
    this.runs.requestPlan();
  }

  /** Suspend: stops any transfer (keeping its flushed bytes) and parks the job. */
  async suspend(jobId: JobId): Promise<void> {
    await this.table.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.table.require(job, 'suspend');
      this.limits.touched(job);
      this.runs.clearTimers(job.id);
      await this.runs.stop(job.id);
      job.retryAt = null;
      this.table.setState(job, next);
    });
    this.runs.requestPlan();
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
    const result = await this.table.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.table.require(job, 'complete');
      this.runs.clearTimers(job.id);
      await this.runs.stop(job.id);
      if (isUploadType(job.type)) {
        // The file is on the server already; only an upload-reply's reply is renamed.
        this.uploads.complete(job, this.runs.attemptHost);
        job.retryAt = null;
        job.error = null;
        this.table.setState(job, next);
        return { partial: false, unableToDeleteFiles: false };
      }
      try {
        renameTransferredFiles(job.files, (renamed) => {
          this.deps.repo.transaction(() => {
            for (const file of renamed) this.deps.repo.saveFile(job.id, file);
          });
        });
      } catch (error) {
        const allTransferred = job.files.every((f) => f.transferred);
        if (error instanceof FerryError) {
          this.table.recordError(job, error, allTransferred ? 'TRANSFERRED' : 'ERROR');
        }
        throw error;
      }
      const unableToDeleteFiles = !deleteTemporaryFiles(job.files, (f) => !f.transferred);
      job.retryAt = null;
      // A rename that failed before and succeeded now is no longer the job's error.
      job.error = null;
      this.table.setState(job, next);
      return { partial: job.files.some((f) => !f.transferred), unableToDeleteFiles };
    });
    this.runs.requestPlan();
    return result;
  }

  /** Cancel: stops any transfer, deletes every temporary file, CANCELLED. */
  async cancel(jobId: JobId): Promise<CancelResult> {
    const result = await this.table.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.table.require(job, 'cancel');
      this.runs.clearTimers(job.id);
      await this.runs.stop(job.id);
      // An upload job's file is the user's own: only the server's copy and the reply go.
      const unableToDeleteFiles = isUploadType(job.type)
        ? !(await this.uploads.cancel(job, this.runs.attemptHost))
        : !deleteTemporaryFiles(job.files, (f) => !f.completed);
      job.retryAt = null;
      this.table.setState(job, next);
      return { unableToDeleteFiles };
    });
    this.runs.requestPlan();
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
    await this.table.withLock(jobId, () => {
      const job = this.get(jobId);
      this.table.require(job, options.method ?? 'setProperty');
      this.limits.touched(job);
      mutate(job);
      this.deps.repo.transaction(() => {
        this.table.touch(job);
      });
      this.deps.notifier.modified(job, false);
    });
    if (options.replan === true) this.runs.requestPlan();
  }

  /**
   * SetMinimumRetryDelay, raised to the retry floor; a job in TRANSIENT_ERROR has its retry
   * moved to (last error + new delay).
   */
  async setMinimumRetryDelay(jobId: JobId, seconds: number): Promise<void> {
    await this.setProperty(
      jobId,
      (job) => {
        job.minimumRetryDelay = floorRetryDelay(this.deps.retryPolicy, seconds);
        this.runs.retime(job);
      },
      { method: 'setMinimumRetryDelay' },
    );
  }

  /**
   * SetMaximumDownloadTime (IBackgroundCopyJob4); a running job's limit moves at once, and
   * one already past it fails at once.
   */
  async setMaximumDownloadTime(jobId: JobId, seconds: number): Promise<void> {
    await this.setProperty(jobId, (job) => {
      job.maximumDownloadTime = seconds;
      this.limits.limitChanged(job);
    });
  }

  /** Active time used (ms) toward the maximum download time, the current stint included. */
  activeTime(jobId: JobId): number {
    return this.limits.activeTimeOf(this.get(jobId));
  }

  /** The inactivity setting changed: look at every job's deadline again. */
  inactivityTimeoutChanged(): void {
    this.limits.settingChanged();
  }

  /** The job spent its maximum download time active: its run stops and it fails (ERROR). */
  private async expireDownloadTime(jobId: JobId): Promise<void> {
    await this.table.withLock(jobId, async () => {
      const job = this.table.peek(jobId);
      if (job === undefined || job.activeSince === null) return;
      // Raised meanwhile (or Resumed): not due yet.
      if (this.limits.activeTimeOf(job) < job.maximumDownloadTime * 1000) return;
      if (job.maximumDownloadTime <= 0) return;
      this.runs.clearTimers(job.id);
      await this.runs.stop(job.id);
      job.retryAt = null;
      this.table.recordError(
        job,
        new FerryError(
          'JOB_MAX_DOWNLOAD_TIME',
          'GENERAL_QUEUE_MANAGER',
          `Job '${job.displayName}' spent its maximum download time (${formatSeconds(job.maximumDownloadTime)}) connecting and transferring without finishing; Resume gives it that time again, SetMaximumDownloadTime changes it`,
        ),
        'ERROR',
      );
    });
  }

  /** The job went untouched for the inactivity timeout: cancelled, as BITS abandons it. */
  private async cancelInactive(jobId: JobId): Promise<void> {
    const job = this.table.peek(jobId);
    if (job === undefined || isFinalState(job.state)) return;
    try {
      await this.cancel(jobId);
    } catch {
      // Closed or already final meanwhile: nothing left to cancel.
      return;
    }
    this.deps.stateLog.append(jobId, {
      time: Date.now(),
      state: 'CANCELLED',
      cause: 'inactivity',
    });
  }

  /**
   * SetNoProgressTimeout; a job in TRANSIENT_ERROR whose new deadline has passed (or is 0)
   * goes to ERROR at once.
   */
  async setNoProgressTimeout(jobId: JobId, seconds: number): Promise<void> {
    await this.setProperty(jobId, (job) => {
      job.noProgressTimeout = seconds;
      this.runs.retime(job);
    });
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
    const changed = await this.table.withLock(jobId, async () => {
      const job = this.get(jobId);
      const next = this.table.require(job, method);
      this.limits.touched(job);
      const changes = rename(job);
      // A new URL's user:password@ becomes the job's SERVER credentials, as at AddFile.
      const fromUrls: JobCredential[] = [];
      for (const [index, given] of changes) {
        const split = splitUrlCredentials(given);
        changes.set(index, split.remoteUrl);
        fromUrls.push(...split.credentials);
      }
      for (const url of changes.values()) checkRemoteName(url);
      if (isUploadType(job.type)) for (const url of changes.values()) checkUploadUrl(url);
      if (changes.size === 0) return 0;
      await this.runs.stop(job.id);
      this.deps.repo.transaction(() => {
        for (const [index, url] of changes) {
          const file = job.files[index];
          if (file === undefined) continue;
          file.remoteName = url;
          // The name already shown stays: a refreshed link or a mirror names no new file.
          file.nameFromServer = false;
          // Another upload URL is another upload: its session and progress start over.
          if (isUploadType(job.type)) this.uploads.restart(job, file);
          this.deps.repo.saveFile(job.id, file);
        }
        for (const credential of fromUrls) {
          job.credentials = replaceCredential(job.credentials, credential);
        }
        this.table.touch(job);
      });
      this.table.setState(job, next);
      return changes.size;
    });
    this.runs.requestPlan();
    return changed;
  }

  /** Credentials taken from URLs: they replace the job's of the same target and scheme. */
  private adoptCredentials(job: JobRecord, credentials: readonly JobCredential[]): void {
    for (const credential of credentials) {
      job.credentials = replaceCredential(job.credentials, credential);
    }
    this.table.touch(job);
  }

  /**
   * IBackgroundCopyFile3::SetValidationState on a transferred file.
   *
   * True records the content as valid (GetValidationState). False is BITS' answer for content
   * from the origin (Ferry has no peers): the file's bytes are no longer trusted (its record
   * starts over, so Resume downloads it again from zero) and the job goes to ERROR with
   * FILE_VALIDATION_FAILED; Complete leaves that file out.
   */
  async setValidationState(jobId: JobId, fileIndex: number, valid: boolean): Promise<void> {
    await this.table.withLock(jobId, async () => {
      const job = this.get(jobId);
      this.table.require(job, 'setProperty');
      const file = job.files[fileIndex];
      if (file === undefined) {
        throw new FerryError(
          'INPUT_FILE_INDEX',
          'GENERAL_QUEUE_MANAGER',
          `Job '${job.displayName}' has no file ${fileIndex} (it has ${job.files.length})`,
        );
      }
      if (!file.transferred || file.completed) {
        throw new FerryError(
          'INPUT_INVALID',
          'GENERAL_QUEUE_MANAGER',
          `File ${fileIndex} of job '${job.displayName}' ${file.completed ? 'is already completed' : 'has not finished transferring'}: only a transferred file can be validated`,
        );
      }
      this.limits.touched(job);
      if (valid) {
        file.validation = { ...file.validation, valid: true };
        this.deps.repo.transaction(() => {
          this.deps.repo.saveFile(job.id, file);
          this.table.touch(job);
        });
        this.deps.notifier.modified(job, false);
        return;
      }
      this.runs.clearTimers(job.id);
      await this.runs.stop(job.id);
      job.retryAt = null;
      this.deps.repo.transaction(() => {
        file.transferred = false;
        file.validation = { ...file.validation, outcome: 'rejected', valid: false };
        resetWatermarks(file);
        file.bytesLive = 0;
        this.deps.repo.saveFile(job.id, file);
        this.table.recordError(job, rejectedByCallerError(file), 'ERROR');
      });
    });
    this.runs.requestPlan();
  }

  /** AddFile on an upload job: its one file, checked (upload-jobs.ts) before anything changes. */
  private addUploadFile(
    job: JobRecord,
    next: JobRecord['state'],
    specs: readonly { remoteUrl: string; localName: string }[],
  ): void {
    const source = this.uploads.checkFiles(job, specs);
    const [spec] = specs;
    if (spec === undefined) return;
    const file = newUploadFile(spec.remoteUrl, spec.localName, job.id, source.size);
    this.limits.touched(job);
    const stateChanged = next !== job.state;
    this.deps.repo.transaction(() => {
      this.deps.repo.insertFiles(job.id, [file]);
      job.files.push(file);
      this.uploads.fileAdded(job, source);
      if (stateChanged) {
        job.state = next;
        job.transferCompletionTime = null;
      }
      this.table.touch(job);
    });
    this.deps.notifier.modified(job, stateChanged);
  }

  /** SetReplyFileName (UPLOAD_REPLY jobs), in every non-final state. */
  async setReplyFileName(jobId: JobId, replyFileName: string): Promise<void> {
    await this.setProperty(jobId, (job) => {
      this.uploads.setReplyFileName(job, replyFileName);
    });
  }

  /** GetReplyData (UPLOAD_REPLY jobs): the reply, once it arrived. */
  async replyData(jobId: JobId): Promise<Buffer> {
    return this.uploads.replyData(this.get(jobId));
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
    this.limits.forget(job.id);
    this.table.remove(job.id);
    this.deps.notifier.removed(job.id);
  }
}

/** A duration as people read it: "90 days", "2 h", "45 s". */
function formatSeconds(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return `${String(seconds / 86_400)} days`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${String(seconds / 3600)} h`;
  return `${String(seconds)} s`;
}
