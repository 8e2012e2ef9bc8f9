import type {
  JobErrorInfo,
  JobFileInfo,
  JobId,
  JobInfo,
  JobPriority,
  JobProgress,
  JobState,
  JobTimes,
  JobType,
  NotifyCmdLine,
  ProxySettings,
} from '../../app/index.js';
import {
  FerryError,
  addFileInput,
  addFileSetInput,
  parseInput,
  replaceRemotePrefixInput,
  setCustomHeadersInput,
  setDescriptionInput,
  setDisplayNameInput,
  engineDurationInput,
  setNotifyCmdLineInput,
  setNotifyFlagsInput,
  setPriorityInput,
  setProxySettingsInput,
  setRemoteNameInput,
  setTransferPolicyInput,
} from '../../app/index.js';
import { toFileInfo, toJobInfo } from './job-record.js';
import type { JobRecord } from './job-record.js';
import type { CancelResult, CompleteResult, JobManager } from './job-manager.js';
import type { JobNotifyInterface, Notifier } from './notifier.js';
import { checkNotifyProgram } from './notify-program.js';

/**
 * One job, with every method of BITS' IBackgroundCopyJob (plus IBackgroundCopyJob2/3's notify
 * command line, remote-name replacement and custom headers).
 *
 * Getters read the live record; every other method validates its input against the contract's
 * schema, checks the job's state against the transition table, and changes nothing when either
 * refuses.
 */
export class Job {
  /** @internal Built by the engine; callers get jobs from `Engine`. */
  constructor(
    readonly id: JobId,
    private readonly manager: JobManager,
    private readonly notifier: Notifier,
    private readonly user: string,
  ) {}

  private get record(): JobRecord {
    return this.manager.get(this.id);
  }

  /** Everything about the job in one snapshot. */
  info(): JobInfo {
    return toJobInfo(this.record);
  }

  /** GetId. */
  getId(): JobId {
    return this.id;
  }

  /** GetType. */
  getType(): JobType {
    return this.record.type;
  }

  /** GetState. */
  getState(): JobState {
    return this.record.state;
  }

  /** GetProgress. */
  getProgress(): JobProgress {
    return this.info().progress;
  }

  /** GetTimes. */
  getTimes(): JobTimes {
    return this.info().times;
  }

  /** GetDisplayName. */
  getDisplayName(): string {
    return this.record.displayName;
  }

  /** GetDescription. */
  getDescription(): string {
    return this.record.description;
  }

  /** GetOwner: the user the job belongs to. */
  getOwner(): string {
    return this.record.owner;
  }

  /** GetPriority. */
  getPriority(): JobPriority {
    return this.record.priority;
  }

  /** GetMinimumRetryDelay, in seconds. */
  getMinimumRetryDelay(): number {
    return this.record.minimumRetryDelay;
  }

  /** GetNoProgressTimeout, in seconds. */
  getNoProgressTimeout(): number {
    return this.record.noProgressTimeout;
  }

  /** GetNotifyFlags. */
  getNotifyFlags(): number {
    return this.record.notifyFlags;
  }

  /** GetNotifyCmdLine (IBackgroundCopyJob2). */
  getNotifyCmdLine(): NotifyCmdLine | null {
    return this.record.notifyCmdLine;
  }

  /** GetNotifyInterface. */
  getNotifyInterface(): JobNotifyInterface | null {
    this.manager.get(this.id);
    return this.notifier.getInterface(this.id);
  }

  /** GetProxySettings. */
  getProxySettings(): ProxySettings {
    return this.record.proxy;
  }

  /** GetCustomHeaders (IBackgroundCopyJobHttpOptions). */
  getCustomHeaders(): readonly string[] {
    return this.record.customHeaders;
  }

  /** GetError: the last error, or null when the job has none. */
  getError(): JobErrorInfo | null {
    return this.record.error;
  }

  /** GetErrorCount: errors seen so far, never reset. */
  getErrorCount(): number {
    return this.record.errorCount;
  }

  /** Every error the job has had, oldest first. */
  listErrors(): JobErrorInfo[] {
    return this.manager.errors(this.id);
  }

  /** EnumFiles. */
  enumFiles(): JobFileInfo[] {
    return this.record.files.map(toFileInfo);
  }

  /** AddFile: `localName` must be absolute, in a writable folder, unique within the job. */
  async addFile(remoteUrl: string, localName: string): Promise<void> {
    const input = parseInput('AddFile', addFileInput, { jobId: this.id, remoteUrl, localName });
    await this.manager.addFiles(this.id, [input]);
  }

  /** AddFileSet: adds every file, or none when one is invalid. */
  async addFileSet(
    files: readonly { remoteUrl: string; localName: string; nameFromServer?: boolean }[],
  ): Promise<void> {
    const input = parseInput('AddFileSet', addFileSetInput, { jobId: this.id, files });
    await this.manager.addFiles(this.id, input.files);
  }

  /** Resume: queue the job (or retry it now); refused with JOB_EMPTY when it has no files. */
  async resume(): Promise<void> {
    await this.manager.resume(this.id);
  }

  /** Suspend: stop transferring and stay put until Resume. */
  async suspend(): Promise<void> {
    await this.manager.suspend(this.id);
  }

  /** Complete: make transferred files visible at their final names; ACKNOWLEDGED. */
  async complete(): Promise<CompleteResult> {
    return this.manager.complete(this.id);
  }

  /** Cancel: delete every temporary file; CANCELLED. */
  async cancel(): Promise<CancelResult> {
    return this.manager.cancel(this.id);
  }

  /** TakeOwnership: the engine's user becomes the owner. */
  async takeOwnership(): Promise<void> {
    await this.manager.setProperty(
      this.id,
      (job) => {
        job.owner = this.user;
      },
      { method: 'takeOwnership' },
    );
  }

  /** SetDisplayName. */
  async setDisplayName(displayName: string): Promise<void> {
    const input = parseInput('SetDisplayName', setDisplayNameInput, {
      jobId: this.id,
      displayName,
    });
    await this.manager.setProperty(this.id, (job) => {
      job.displayName = input.displayName;
    });
  }

  /** SetDescription (at most 1,024 characters). */
  async setDescription(description: string): Promise<void> {
    const input = parseInput('SetDescription', setDescriptionInput, {
      jobId: this.id,
      description,
    });
    await this.manager.setProperty(this.id, (job) => {
      job.description = input.description;
    });
  }

  /** SetPriority: the scheduler re-plans at once. */
  async setPriority(priority: JobPriority): Promise<void> {
    const input = parseInput('SetPriority', setPriorityInput, { jobId: this.id, priority });
    await this.manager.setProperty(
      this.id,
      (job) => {
        job.priority = input.priority;
      },
      { replan: true },
    );
  }

  /** SetMinimumRetryDelay, in seconds; values under the floor (5 s) are raised to it. */
  async setMinimumRetryDelay(seconds: number): Promise<void> {
    const input = parseInput('SetMinimumRetryDelay', engineDurationInput, {
      jobId: this.id,
      seconds,
    });
    await this.manager.setMinimumRetryDelay(this.id, input.seconds);
  }

  /** SetNoProgressTimeout, in seconds; 0 makes every transient error final. */
  async setNoProgressTimeout(seconds: number): Promise<void> {
    const input = parseInput('SetNoProgressTimeout', engineDurationInput, {
      jobId: this.id,
      seconds,
    });
    await this.manager.setNoProgressTimeout(this.id, input.seconds);
  }

  /** SetNotifyFlags: a combination of the BG_NOTIFY_* bits. */
  async setNotifyFlags(flags: number): Promise<void> {
    const input = parseInput('SetNotifyFlags', setNotifyFlagsInput, { jobId: this.id, flags });
    await this.manager.setProperty(this.id, (job) => {
      job.notifyFlags = input.flags;
    });
  }

  /** SetNotifyCmdLine: a program run on TRANSFERRED or ERROR; null clears it. */
  async setNotifyCmdLine(cmdLine: NotifyCmdLine | null): Promise<void> {
    const input = parseInput('SetNotifyCmdLine', setNotifyCmdLineInput, {
      jobId: this.id,
      cmdLine,
    });
    checkNotifyProgram(input.cmdLine);
    await this.manager.setProperty(this.id, (job) => {
      job.notifyCmdLine = input.cmdLine;
    });
  }

  /** SetNotifyInterface: callbacks for this job (not persisted); null clears them. */
  async setNotifyInterface(callbacks: JobNotifyInterface | null): Promise<void> {
    await this.manager.setProperty(this.id, () => {
      this.notifier.setInterface(this.id, callbacks);
    });
  }

  /** SetProxySettings. */
  async setProxySettings(proxy: ProxySettings): Promise<void> {
    const input = parseInput('SetProxySettings', setProxySettingsInput, { jobId: this.id, proxy });
    await this.manager.setProperty(this.id, (job) => {
      job.proxy = input.proxy;
    });
  }

  /** SetCustomHeaders: "Name: value" lines sent with every request; [] clears them. */
  async setCustomHeaders(headers: readonly string[]): Promise<void> {
    const input = parseInput('SetCustomHeaders', setCustomHeadersInput, {
      jobId: this.id,
      headers,
    });
    await this.manager.setProperty(this.id, (job) => {
      job.customHeaders = input.headers;
    });
  }

  /**
   * Ferry's own: connections per file (null follows the engine setting) and a job speed limit.
   *
   * Fields left out keep their value; a running job applies the change to its open transfer.
   */
  async setTransferPolicy(policy: {
    connectionsPerFile?: number | null;
    speedLimit?: number;
    completeWhenTransferred?: boolean;
  }): Promise<void> {
    const input = parseInput('SetTransferPolicy', setTransferPolicyInput, {
      jobId: this.id,
      ...policy,
    });
    await this.manager.setProperty(
      this.id,
      (job) => {
        job.transferPolicy = {
          connectionsPerFile:
            input.connectionsPerFile === undefined
              ? job.transferPolicy.connectionsPerFile
              : input.connectionsPerFile,
          speedLimit: input.speedLimit ?? job.transferPolicy.speedLimit,
          completeWhenTransferred:
            input.completeWhenTransferred ?? job.transferPolicy.completeWhenTransferred,
        };
      },
      { replan: false },
    );
  }

  /** IBackgroundCopyFile2::SetRemoteName: point one file at a new URL (link refresh). */
  async setRemoteName(fileIndex: number, remoteUrl: string): Promise<void> {
    const input = parseInput('SetRemoteName', setRemoteNameInput, {
      jobId: this.id,
      fileIndex,
      remoteUrl,
    });
    await this.manager.setRemoteNames(this.id, 'setRemoteName', (job) => {
      if (job.files[input.fileIndex] === undefined) {
        throw new FerryError(
          'INPUT_FILE_INDEX',
          'GENERAL_QUEUE_MANAGER',
          `Job '${job.displayName}' has no file ${input.fileIndex} (it has ${job.files.length})`,
        );
      }
      return new Map([[input.fileIndex, input.remoteUrl]]);
    });
  }

  /** ReplaceRemotePrefix: rewrite the start of every matching remote name; returns how many. */
  async replaceRemotePrefix(oldPrefix: string, newPrefix: string): Promise<number> {
    const input = parseInput('ReplaceRemotePrefix', replaceRemotePrefixInput, {
      jobId: this.id,
      oldPrefix,
      newPrefix,
    });
    return this.manager.setRemoteNames(this.id, 'replaceRemotePrefix', (job) => {
      const changes = new Map<number, string>();
      for (const file of job.files) {
        if (file.remoteName.startsWith(input.oldPrefix)) {
          changes.set(file.index, input.newPrefix + file.remoteName.slice(input.oldPrefix.length));
        }
      }
      return changes;
    });
  }
}
