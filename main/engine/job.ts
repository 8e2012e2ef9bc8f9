import type {
  JobErrorInfo,
  JobFileInfo,
  JobFlavour,
  JobId,
  JobInfo,
  JobPriority,
  JobReplyInfo,
  JobProgress,
  JobState,
  JobTimes,
  JobType,
  NotifyCmdLine,
  ProxySettings,
} from '../../app/index.js';
import {
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
  setReplyFileNameInput,
  setTransferPolicyInput,
} from '../../app/index.js';
import { toFileInfo, toJobInfo } from './job-record.js';
import { removeCredentialsInput, setCredentialsInput } from '../../app/credential-commands.js';
import { setValidationStateInput } from '../../app/validation-commands.js';
import { credentialInfo } from '../../app/model/credentials.js';
import type { AuthScheme, AuthTarget, JobCredentialInfo } from '../../app/model/credentials.js';
import type { FileValidationInfo } from '../../app/model/validation.js';
import type { JobRecord } from './job-record.js';
import type { CancelResult, CompleteResult, JobManager } from './job-manager.js';
import type { JobNotifyInterface, Notifier } from './notifier.js';
import type { ParsedJobCommands } from './parsed-commands.js';

/**
 * One job, with every method of BITS' IBackgroundCopyJob (plus IBackgroundCopyJob2/3's notify
 * command line, remote-name replacement and custom headers).
 *
 * The engine's edge for in-process callers (shells, tests, embedders): getters read the live
 * record; every other method validates its input against the contract's schema, once, then runs
 * the engine's parsed command (parsed-commands.ts), which checks the job's state against the
 * transition table. Nothing changes when either refuses. Hosts that parsed a command with the
 * contract already call the parsed command directly (`Engine.parsed`).
 */
export class Job {
  /** @internal Built by the engine; callers get jobs from `Engine`. */
  constructor(
    readonly id: JobId,
    private readonly manager: JobManager,
    private readonly notifier: Notifier,
    private readonly commands: ParsedJobCommands,
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

  /** The job's flavour, BITS or DO (DO: Delivery Optimization's rules, app/transitions.ts). */
  getFlavour(): JobFlavour {
    return this.record.flavour;
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

  /** GetMaximumDownloadTime (IBackgroundCopyJob4), in seconds; 0 = no limit. */
  getMaximumDownloadTime(): number {
    return this.record.maximumDownloadTime;
  }

  /** Active time (connecting and transferring) used since the last Resume, in seconds. */
  getActiveTime(): number {
    return this.manager.activeTime(this.id) / 1000;
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

  /**
   * AddFile: `localName` must be absolute, in a writable folder, unique within the job.
   * `options.digest` (`sha256:hex`…) is the digest its content must have, or `checksumUrl` a
   * checksum file to read it from before the transfer (docs/validation.md);
   * a `user:password@` in the URL becomes the job's SERVER credentials.
   */
  async addFile(
    remoteUrl: string,
    localName: string,
    options: { digest?: string; checksumUrl?: string } = {},
  ): Promise<void> {
    const input = parseInput('AddFile', addFileInput, {
      jobId: this.id,
      remoteUrl,
      localName,
      ...options,
    });
    await this.commands['job.addFile'](input);
  }

  /**
   * IBackgroundCopyJob2::SetCredentials: the user and password that answer a server's 401
   * (target SERVER) or a proxy's 407 (PROXY), with Basic or Digest. Replaces the set of the
   * same target and scheme. The password is sealed in the store and never reported back.
   */
  async setCredentials(credential: {
    target: AuthTarget;
    scheme: AuthScheme;
    userName: string;
    password: string;
  }): Promise<void> {
    const input = parseInput('SetCredentials', setCredentialsInput, {
      jobId: this.id,
      ...credential,
    });
    await this.commands['job.setCredentials'](input);
  }

  /** IBackgroundCopyJob2::RemoveCredentials (nothing happens when there is no such set). */
  async removeCredentials(target: AuthTarget, scheme: AuthScheme): Promise<void> {
    const input = parseInput('RemoveCredentials', removeCredentialsInput, {
      jobId: this.id,
      target,
      scheme,
    });
    await this.commands['job.removeCredentials'](input);
  }

  /** Target, scheme and user of each set of credentials (never the password). */
  getCredentials(): JobCredentialInfo[] {
    return credentialInfo(this.record.credentials);
  }

  /**
   * IBackgroundCopyFile3::SetValidationState on a transferred file: true marks it valid;
   * false puts the job in ERROR (FILE_VALIDATION_FAILED) and downloads the file again on
   * Resume.
   */
  async setValidationState(fileIndex: number, valid: boolean): Promise<void> {
    const input = parseInput('SetValidationState', setValidationStateInput, {
      jobId: this.id,
      fileIndex,
      valid,
    });
    await this.commands['job.setValidationState'](input);
  }

  /**
   * IBackgroundCopyFile3::GetValidationState and IsDownloadedFromPeer of one file, with its
   * expected digest and the outcome of its check; undefined for a file the job does not have.
   */
  getValidationState(fileIndex: number): FileValidationInfo | undefined {
    return this.enumFiles()[fileIndex]?.validation;
  }

  /** IBackgroundCopyFile3::IsDownloadedFromPeer: always false (Ferry has no peer caching). */
  isDownloadedFromPeer(fileIndex: number): boolean {
    return this.getValidationState(fileIndex)?.downloadedFromPeer ?? false;
  }

  /** AddFileSet: adds every file, or none when one is invalid. */
  async addFileSet(
    files: readonly { remoteUrl: string; localName: string; nameFromServer?: boolean }[],
  ): Promise<void> {
    const input = parseInput('AddFileSet', addFileSetInput, { jobId: this.id, files });
    await this.commands['job.addFileSet'](input);
  }

  /** Resume: queue the job (or retry it now); refused with JOB_EMPTY when it has no files. */
  async resume(): Promise<void> {
    await this.commands['job.resume']({ jobId: this.id });
  }

  /** Suspend: stop transferring and stay put until Resume. */
  async suspend(): Promise<void> {
    await this.commands['job.suspend']({ jobId: this.id });
  }

  /** Complete: make transferred files visible at their final names; ACKNOWLEDGED. */
  async complete(): Promise<CompleteResult> {
    return this.commands['job.complete']({ jobId: this.id });
  }

  /** Cancel: delete every temporary file; CANCELLED. */
  async cancel(): Promise<CancelResult> {
    return this.commands['job.cancel']({ jobId: this.id });
  }

  /** TakeOwnership: the engine's user becomes the owner. */
  async takeOwnership(): Promise<void> {
    await this.commands['job.takeOwnership']({ jobId: this.id });
  }

  /** SetDisplayName. */
  async setDisplayName(displayName: string): Promise<void> {
    const input = parseInput('SetDisplayName', setDisplayNameInput, {
      jobId: this.id,
      displayName,
    });
    await this.commands['job.setDisplayName'](input);
  }

  /** SetDescription (at most 1,024 characters). */
  async setDescription(description: string): Promise<void> {
    const input = parseInput('SetDescription', setDescriptionInput, {
      jobId: this.id,
      description,
    });
    await this.commands['job.setDescription'](input);
  }

  /** SetPriority: the scheduler re-plans at once. */
  async setPriority(priority: JobPriority): Promise<void> {
    const input = parseInput('SetPriority', setPriorityInput, { jobId: this.id, priority });
    await this.commands['job.setPriority'](input);
  }

  /** SetMinimumRetryDelay, in seconds; values under the floor (5 s) are raised to it. */
  async setMinimumRetryDelay(seconds: number): Promise<void> {
    const input = parseInput('SetMinimumRetryDelay', engineDurationInput, {
      jobId: this.id,
      seconds,
    });
    await this.commands['job.setMinimumRetryDelay'](input);
  }

  /** SetNoProgressTimeout, in seconds; 0 makes every transient error final. */
  async setNoProgressTimeout(seconds: number): Promise<void> {
    const input = parseInput('SetNoProgressTimeout', engineDurationInput, {
      jobId: this.id,
      seconds,
    });
    await this.commands['job.setNoProgressTimeout'](input);
  }

  /**
   * SetMaximumDownloadTime (IBackgroundCopyJob4), in seconds of connecting and transferring;
   * past it the job fails with JOB_MAX_DOWNLOAD_TIME. 0 removes the limit.
   */
  async setMaximumDownloadTime(seconds: number): Promise<void> {
    const input = parseInput('SetMaximumDownloadTime', engineDurationInput, {
      jobId: this.id,
      seconds,
    });
    await this.commands['job.setMaximumDownloadTime'](input);
  }

  /** SetNotifyFlags: a combination of the BG_NOTIFY_* bits. */
  async setNotifyFlags(flags: number): Promise<void> {
    const input = parseInput('SetNotifyFlags', setNotifyFlagsInput, { jobId: this.id, flags });
    await this.commands['job.setNotifyFlags'](input);
  }

  /** SetNotifyCmdLine: a program run on TRANSFERRED or ERROR; null clears it. */
  async setNotifyCmdLine(cmdLine: NotifyCmdLine | null): Promise<void> {
    const input = parseInput('SetNotifyCmdLine', setNotifyCmdLineInput, {
      jobId: this.id,
      cmdLine,
    });
    await this.commands['job.setNotifyCmdLine'](input);
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
    await this.commands['job.setProxySettings'](input);
  }

  /** SetCustomHeaders: "Name: value" lines sent with every request; [] clears them. */
  async setCustomHeaders(headers: readonly string[]): Promise<void> {
    const input = parseInput('SetCustomHeaders', setCustomHeadersInput, {
      jobId: this.id,
      headers,
    });
    await this.commands['job.setCustomHeaders'](input);
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
    trustedCertificates?: readonly string[];
  }): Promise<void> {
    const input = parseInput('SetTransferPolicy', setTransferPolicyInput, {
      jobId: this.id,
      ...policy,
    });
    await this.commands['job.setTransferPolicy'](input);
  }

  /**
   * IBackgroundCopyJob2::SetReplyFileName (UPLOAD_REPLY jobs): where Complete puts the reply,
   * an absolute path; refused once the reply has started arriving.
   */
  async setReplyFileName(replyFileName: string): Promise<void> {
    const input = parseInput('SetReplyFileName', setReplyFileNameInput, {
      jobId: this.id,
      replyFileName,
    });
    await this.commands['job.setReplyFileName'](input);
  }

  /** IBackgroundCopyJob2::GetReplyFileName and GetReplyProgress (UPLOAD_REPLY jobs), or null. */
  getReply(): JobReplyInfo | null {
    return toJobInfo(this.record).reply ?? null;
  }

  /** IBackgroundCopyJob2::GetReplyData: the reply's bytes once it arrived (at most 1 MiB). */
  async getReplyData(): Promise<Buffer> {
    return this.manager.replyData(this.id);
  }

  /** IBackgroundCopyFile2::SetRemoteName: point one file at a new URL (link refresh). */
  async setRemoteName(fileIndex: number, remoteUrl: string): Promise<void> {
    const input = parseInput('SetRemoteName', setRemoteNameInput, {
      jobId: this.id,
      fileIndex,
      remoteUrl,
    });
    await this.commands['job.setRemoteName'](input);
  }

  /** ReplaceRemotePrefix: rewrite the start of every matching remote name; returns how many. */
  async replaceRemotePrefix(oldPrefix: string, newPrefix: string): Promise<number> {
    const input = parseInput('ReplaceRemotePrefix', replaceRemotePrefixInput, {
      jobId: this.id,
      oldPrefix,
      newPrefix,
    });
    return this.commands['job.replaceRemotePrefix'](input);
  }
}
