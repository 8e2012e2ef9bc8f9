import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  AppSettings,
  EngineSettings,
  JobFlavour,
  JobId,
  JobInfo,
  JobPriority,
  JobType,
  ParsedInput,
  RetryBackoff,
  StateLogEntry,
} from '../../app/index.js';
import {
  DEFAULT_APP_SETTINGS,
  DEFAULT_ENGINE_SETTINGS,
  DO_RETRY_BACKOFF,
  appSettingsPatch,
  FerryError,
  createJobInput,
  engineSettingsPatch,
  enumJobsInput,
  isFinalState,
  jobIdSchema,
  parseInput,
} from '../../app/index.js';
import { SYSTEM_CLOCK } from './clock.js';
import type { EngineClock } from './clock.js';
import { defaultDataDir } from './data-dir.js';
import { errorText } from './error-chain.js';
import { acquireEngineLock } from './engine-lock.js';
import { Job } from './job.js';
import { JobManager } from './job-manager.js';
import { createParsedJobCommands } from './parsed-commands.js';
import type { ParsedJobCommands } from './parsed-commands.js';
import { Notifier } from './notifier.js';
import { HOLD_CAUSES, TransferGate, isHoldCause } from './transfer-gate.js';
import type { HoldCause } from './transfer-gate.js';
import type { EngineListener } from './notifier.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { openDatabase } from './store/database.js';
import { StateLog } from './store/state-log.js';
import { JobRepo } from './store/job-repo.js';
import { UploadRepo } from './store/upload-repo.js';
import { createSecretBox, loadOrCreateSecretKey } from './store/secret-box.js';
import { storedAppSettings, storedEngineSettings } from './store/stored-value.js';
import { securePrivateDirSync } from './private-files.js';
import { BandwidthManager } from './transfer/speed/bandwidth.js';
import { createDispatcherPool } from './transfer/http/proxy.js';
import { ExtraCa, readCaFile } from './extra-ca.js';
import { probeHttp } from './transfer/http/http-probe.js';
import { maskedLogLine } from '../../app/secret-mask.js';
import type { RemoteProbe } from './transfer/http/http-probe.js';
import { currentBootId } from './boot-id.js';
import type { CheckpointPolicy, TransferLimits } from './transfer/types.js';
import { MINIMUM_NOTIFICATION_INTERVAL_MS, MINIMUM_RETRY_DELAY_FLOOR } from '../../app/index.js';

export { Job } from './job.js';
export type { CancelResult, CompleteResult } from './job-manager.js';
export type { JobMethodCommand, ParsedJobCommands } from './parsed-commands.js';
export type { EngineEvent, EngineListener, JobNotifyInterface } from './notifier.js';
export type { RetryPolicy } from './retry-policy.js';
export type { HoldCause } from './transfer-gate.js';
export { NETWORK_ERROR_CODES } from './transfer-gate.js';
export { checkNotifyProgram, formatCmdLine } from './notify-program.js';
export { defaultDataDir } from './data-dir.js';
export { readEngineHolder } from './engine-holder.js';
export type { EngineHolder } from './engine-holder.js';
export { checkRemoteName, ensureFolder } from './local-path.js';
export {
  fileNameFromDisposition,
  nameFromUrl,
  responseFileName,
  sanitizeName,
  uniquePath,
} from './file-naming.js';
export type { RemoteProbe } from './transfer/http/http-probe.js';

/**
 * Options of `createEngine`; only for tests and shells, every field has a documented default.
 */
export interface EngineOptions {
  /** Where the store and lock live (default: `defaultDataDir()`). */
  readonly dataDir?: string;
  /** The user the engine acts for: owner of new jobs (default: the OS user). */
  readonly user?: string;
  /** Smallest minimum retry delay in seconds (default 5, as BITS; tests use less). */
  readonly minimumRetryDelayFloor?: number;
  /** Retry classification (default: `DEFAULT_RETRY_POLICY`). */
  readonly retryPolicy?: Partial<Omit<RetryPolicy, 'minimumRetryDelayFloor'>>;
  /**
   * Progress window (default: 32 MiB or 200 ms, whichever first): a process kill re-fetches
   * at most about that much. A segmented file's byte window is this times its connections,
   * and it checkpoints at least every 100 ms. Checkpoints datasync only every
   * `syncIntervalMs` (default: the `syncInterval` setting), and always at a file's end.
   */
  readonly checkpoint?: Partial<CheckpointPolicy>;
  /**
   * The identity of this boot (default: the OS's, see boot-id.ts): a restart in another boot
   * trusts only the synced bytes of a file. Tests inject one to simulate a reboot.
   */
  readonly bootId?: string;
  /** Network limits (default: 10 redirects, 30 s connect and headers, 60 s idle body). */
  readonly limits?: Partial<TransferLimits>;
  /** Least time between JobModification notifications of one job (default 500 ms). */
  readonly notificationIntervalMs?: number;
  /** The system proxy for PRECONFIG jobs (the desktop shell supplies one); default: env. */
  readonly preconfigProxy?: (url: URL) => string | null;
  /** Environment read for HTTP_PROXY / HTTPS_PROXY / NO_PROXY (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where warnings go (a throwing listener, a failed notify command); default: stderr. */
  readonly onWarning?: (message: string, cause?: unknown) => void;
  /** The clock of the maximum download time and the inactivity rule (tests move a fake one). */
  readonly clock?: EngineClock;
  /** DO jobs' retry back-off (default DO_RETRY_BACKOFF: 60 s doubling to 600 s). */
  readonly doRetryBackoff?: RetryBackoff;
  /** Most bytes an upload job sends per Fragment packet (default 1 MiB; tests use less). */
  readonly uploadFragmentSize?: number;
}

/**
 * The engine's commands on input a host has already parsed with the contract's schemas
 * (app/contract.ts): nothing here validates an input's shape again, so a command is validated
 * once, where it enters. The methods of `Engine` and `Job` parse first, then run these.
 */
export interface ParsedCommands {
  /** Every BITS method of one job, keyed by its contract command. */
  readonly jobs: ParsedJobCommands;
  /** GetJob by a parsed id; throws JOB_NOT_FOUND. */
  job(jobId: JobId): Job;
  /** CreateJob. */
  create(input: ParsedInput<'job.create'>): Job;
  /** EnumJobs. */
  enumJobs(allUsers: boolean): Job[];
  /** Deletes one job from history. */
  removeFromHistory(jobId: JobId): void;
  /** A job's state log. */
  stateLog(jobId: JobId): StateLogEntry[];
  /** Changes engine settings, then shell settings, as `settings.set` carries them. */
  setSettings(input: ParsedInput<'settings.set'>): void;
}

/**
 * The job engine: the one object every shell uses.
 *
 * Implements BITS' IBackgroundCopyManager (CreateJob, GetJob, EnumJobs) plus history,
 * settings and an event stream.
 */
export interface Engine {
  readonly dataDir: string;
  /** The user this engine acts for. */
  readonly user: string;
  /** CreateJob: a new SUSPENDED job: DOWNLOAD (default), UPLOAD or UPLOAD_REPLY. */
  createJob(input: {
    displayName: string;
    type?: JobType;
    description?: string;
    priority?: JobPriority;
    /** BITS (default) or DO. */
    flavour?: JobFlavour;
  }): Job;
  /** GetJob: by id, final jobs in history included; throws JOB_NOT_FOUND. */
  getJob(jobId: string): Job;
  /** EnumJobs: the live (non-final) jobs of this user, or of every user with `allUsers`. */
  enumJobs(options?: { allUsers?: boolean }): Job[];
  /** ACKNOWLEDGED and CANCELLED jobs, oldest first. */
  history(): JobInfo[];
  /** Deletes one job from history. */
  removeFromHistory(jobId: string): void;
  /** Deletes every job in history; returns how many. */
  clearHistory(): number;
  /** The engine settings. */
  getSettings(): EngineSettings;
  /** Changes some settings; the scheduler re-plans at once. */
  setSettings(patch: Partial<EngineSettings>): EngineSettings;
  /** The shells' and UI's settings, kept in the same store (see AppSettings). */
  getAppSettings(): AppSettings;
  /** Changes some shell/UI settings; validated like every command. */
  setAppSettings(patch: Partial<AppSettings>): AppSettings;
  /** Listens to every job's events; returns the function that stops listening. */
  subscribe(listener: EngineListener): () => void;
  /**
   * Holds transfers for a power or session cause (system suspend, screen lock, session end):
   * transferring jobs go back to QUEUED and nothing starts until every cause is released, as
   * BITS does when a job's owner logs off. Resolves once the running transfers have stopped.
   */
  holdTransfers(cause: HoldCause): Promise<void>;
  /** Releases one hold: queued jobs continue once no cause is left. */
  releaseTransfers(cause: HoldCause): void;
  /**
   * The network went away or came back (the desktop shell from the OS, the headless server
   * from its own check). While it is away no job starts, and jobs failing with a network
   * error wait in TRANSIENT_ERROR without spending retries or no-progress time; when it is
   * back they are retried at once.
   */
  setNetworkAvailable(online: boolean): void;
  /** What holds transfers now: the hold causes and whether the network is there. */
  transferConditions(): { readonly holds: readonly HoldCause[]; readonly online: boolean };
  /** A job's state log: transitions made for a power or session cause, oldest first. */
  stateLog(jobId: string): StateLogEntry[];
  /**
   * Asks the server of an http(s) URL for the file's name and size before a job exists (the
   * add dialog's preview), through the engine's own connections: the default proxy, Ferry's
   * User-Agent, keep-alive sockets the transfer then reuses. Null when it does not answer
   * within 5 s or the URL is not http(s): the file is then named by its first response.
   */
  probeRemote(remoteUrl: string): Promise<RemoteProbe | null>;
  /** Stops every transfer (jobs return to QUEUED), closes the store, releases the lock. */
  close(): Promise<void>;
  /** The same commands for a host that parsed them with the contract's schemas already. */
  readonly parsed: ParsedCommands;
}

const SETTINGS_KEY = 'engine';
/** How long `probeRemote` waits for a server before giving up on the hint. */
const PROBE_TIMEOUT_MS = 5_000;
const APP_SETTINGS_KEY = 'app';

/**
 * Opens the engine on a data directory: takes its lock, opens and migrates the store, restores
 * every job (interrupted ones back to QUEUED) and starts scheduling.
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const dataDir = resolve(options.dataDir ?? defaultDataDir(options.env));
  securePrivateDirSync(dataDir);
  const onWarning =
    options.onWarning ??
    ((message: string, cause?: unknown) => {
      console.warn(maskedLogLine(`ferry: ${message}`, cause));
    });
  const lock = acquireEngineLock(dataDir, { onWaiting: onWarning });
  let repo: JobRepo;
  let uploadRepo: UploadRepo;
  let stateLog: StateLog;
  let settings: EngineSettings;
  let appSettings: AppSettings;
  try {
    const secrets = createSecretBox(loadOrCreateSecretKey(dataDir));
    const storePath = join(dataDir, 'ferry.db');
    const db = openDatabase(storePath);
    repo = new JobRepo(db, secrets, storePath);
    uploadRepo = new UploadRepo(db, storePath);
    stateLog = new StateLog(db);
    repo.sealClearSecrets();
    settings = {
      ...DEFAULT_ENGINE_SETTINGS,
      ...repo.getSetting(SETTINGS_KEY, storedEngineSettings),
    };
    appSettings = {
      ...DEFAULT_APP_SETTINGS,
      ...repo.getSetting(APP_SETTINGS_KEY, storedAppSettings),
    };
    // The lock's own database was created by SQLite through the umask.
    securePrivateDirSync(dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  const user = options.user ?? userInfo().username;
  const floor = options.minimumRetryDelayFloor ?? MINIMUM_RETRY_DELAY_FLOOR;
  const limits: TransferLimits = {
    maxRedirects: 10,
    connectTimeoutMs: 30_000,
    headersTimeoutMs: 30_000,
    bodyIdleTimeoutMs: 60_000,
    ...options.limits,
  };
  const bandwidth = new BandwidthManager(() => settings);
  const extraCa = new ExtraCa(() => settings.extraCaCertificates);
  const dispatchers = createDispatcherPool({
    connectTimeoutMs: limits.connectTimeoutMs,
    extraCa: () => extraCa.current(),
    ...(options.preconfigProxy === undefined ? {} : { preconfigProxy: options.preconfigProxy }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  // The notifier looks jobs up through the manager, which is built right after it.
  const built: { manager?: JobManager } = {};
  const gate = new TransferGate();
  const notifier = new Notifier(
    (id) => built.manager?.peek(id),
    options.notificationIntervalMs ?? MINIMUM_NOTIFICATION_INTERVAL_MS,
    onWarning,
  );
  const jobs = new JobManager({
    repo,
    dataDir,
    notifier,
    dispatchers,
    retryPolicy: { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy, minimumRetryDelayFloor: floor },
    checkpoint: { bytes: 32 * 1024 * 1024, intervalMs: 200, ...options.checkpoint },
    bootId: options.bootId ?? currentBootId(),
    limits,
    bandwidth,
    user,
    gate,
    stateLog,
    uploadRepo,
    ...(options.uploadFragmentSize === undefined
      ? {}
      : { fragmentSize: options.uploadFragmentSize }),
    settings: () => settings,
    clock: options.clock ?? SYSTEM_CLOCK,
    retryBackoff: options.doRetryBackoff ?? DO_RETRY_BACKOFF,
  });
  built.manager = jobs;
  try {
    jobs.restore();
  } catch (cause) {
    repo.close();
    lock.release();
    void dispatchers.close();
    if (cause instanceof FerryError) throw cause;
    throw new FerryError(
      'STORE_FAILED',
      'GENERAL_QUEUE_MANAGER',
      `Cannot load the jobs stored in ${dataDir}: ${errorText(cause)}`,
      { cause },
    );
  }

  const jobCommands = createParsedJobCommands(jobs, user);
  const handles = new Map<JobId, Job>();
  const handle = (id: JobId): Job => {
    let job = handles.get(id);
    if (job === undefined) handles.set(id, (job = new Job(id, jobs, notifier, jobCommands)));
    return job;
  };
  let closed = false;

  type EngineSettingsPatch = NonNullable<ParsedInput<'settings.set'>['engine']>;
  type AppSettingsPatch = NonNullable<ParsedInput<'settings.set'>['app']>;
  const applySettings = (patch: EngineSettingsPatch): EngineSettings => {
    jobs.assertOpen();
    const next: EngineSettings = {
      maxConcurrentJobs: patch.maxConcurrentJobs ?? settings.maxConcurrentJobs,
      userAgent: patch.userAgent ?? settings.userAgent,
      connectionsPerFile: patch.connectionsPerFile ?? settings.connectionsPerFile,
      minSegmentSize: patch.minSegmentSize ?? settings.minSegmentSize,
      concurrentFilesPerJob: patch.concurrentFilesPerJob ?? settings.concurrentFilesPerJob,
      segmentStallTimeout: patch.segmentStallTimeout ?? settings.segmentStallTimeout,
      syncInterval: patch.syncInterval ?? settings.syncInterval,
      speedLimit: patch.speedLimit ?? settings.speedLimit,
      speedSchedule: patch.speedSchedule ?? settings.speedSchedule,
      backgroundSpeedLimit: patch.backgroundSpeedLimit ?? settings.backgroundSpeedLimit,
      defaultMinimumRetryDelay: patch.defaultMinimumRetryDelay ?? settings.defaultMinimumRetryDelay,
      defaultNoProgressTimeout: patch.defaultNoProgressTimeout ?? settings.defaultNoProgressTimeout,
      defaultMaximumDownloadTime:
        patch.defaultMaximumDownloadTime ?? settings.defaultMaximumDownloadTime,
      jobInactivityTimeout: patch.jobInactivityTimeout ?? settings.jobInactivityTimeout,
      defaultProxy: patch.defaultProxy ?? settings.defaultProxy,
      extraCaCertificates: patch.extraCaCertificates ?? settings.extraCaCertificates,
    };
    // A CA file that cannot be used is refused here, the settings left as they were.
    if (next.extraCaCertificates !== '' && patch.extraCaCertificates !== undefined) {
      readCaFile(next.extraCaCertificates);
    }
    repo.setSetting(SETTINGS_KEY, next);
    settings = next;
    if (patch.jobInactivityTimeout !== undefined) jobs.inactivityTimeoutChanged();
    // Idle connections were opened under the old trust; the next ones use the new file.
    if (patch.extraCaCertificates !== undefined) dispatchers.dropIdle();
    // Running transfers read connections and limits live; speed limits apply at once.
    bandwidth.refresh();
    jobs.requestPlan();
    return settings;
  };
  const applyAppSettings = (patch: AppSettingsPatch | Partial<AppSettings>): AppSettings => {
    jobs.assertOpen();
    const next: AppSettings = { ...appSettings, ...patch };
    repo.setSetting(APP_SETTINGS_KEY, next);
    appSettings = next;
    return appSettings;
  };
  const parsed: ParsedCommands = {
    jobs: jobCommands,
    job: (id) => handle(jobs.get(id).id),
    create: (input) => handle(jobs.create(input).id),
    enumJobs: (allUsers) =>
      [...jobs.all()]
        .filter((job) => !isFinalState(job.state) && (allUsers || job.owner === user))
        .map((job) => handle(job.id)),
    removeFromHistory: (id) => {
      jobs.assertOpen();
      jobs.removeFromHistory(id);
      handles.delete(id);
    },
    stateLog: (id) => stateLog.list(jobs.get(id).id),
    setSettings: (input) => {
      // Both halves were parsed before either is written, so a bad field changes nothing.
      if (input.engine !== undefined) applySettings(input.engine);
      if (input.app !== undefined) applyAppSettings(input.app);
    },
  };

  return {
    dataDir,
    user,
    parsed,
    createJob(input) {
      return parsed.create(parseInput('CreateJob', createJobInput, input));
    },
    getJob(jobId) {
      return parsed.job(parseInput('GetJob', jobIdSchema, jobId));
    },
    enumJobs(enumOptions) {
      return parsed.enumJobs(parseInput('EnumJobs', enumJobsInput, enumOptions ?? {}).allUsers);
    },
    history() {
      return [...jobs.all()]
        .filter((job) => isFinalState(job.state))
        .map((job) => handle(job.id).info());
    },
    removeFromHistory(jobId) {
      jobs.assertOpen();
      parsed.removeFromHistory(parseInput('RemoveFromHistory', jobIdSchema, jobId));
    },
    clearHistory() {
      jobs.assertOpen();
      const finals = [...jobs.all()].filter((job) => isFinalState(job.state));
      for (const job of finals) {
        jobs.removeFromHistory(job.id);
        handles.delete(job.id);
      }
      return finals.length;
    },
    getSettings() {
      return settings;
    },
    probeRemote(remoteUrl) {
      jobs.assertOpen();
      return probeHttp({
        remoteUrl,
        headers: [],
        userAgent: settings.userAgent,
        connectionFor: (url) => dispatchers.connectionFor(url, settings.defaultProxy),
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        limits,
      });
    },
    setSettings(patch) {
      jobs.assertOpen();
      return applySettings(parseInput('SetSettings', engineSettingsPatch, patch));
    },
    getAppSettings() {
      return appSettings;
    },
    setAppSettings(patch) {
      jobs.assertOpen();
      return applyAppSettings(parseInput('SetAppSettings', appSettingsPatch, patch));
    },
    subscribe(listener) {
      return notifier.subscribe(listener);
    },
    async holdTransfers(cause) {
      await jobs.hold(holdCause(cause));
    },
    releaseTransfers(cause) {
      jobs.release(holdCause(cause));
    },
    setNetworkAvailable(online) {
      jobs.setNetwork(online);
    },
    transferConditions() {
      return { holds: gate.causes, online: gate.online };
    },
    stateLog(jobId) {
      return parsed.stateLog(parseInput('GetStateLog', jobIdSchema, jobId));
    },
    async close() {
      if (closed) return;
      closed = true;
      lock.closing();
      await jobs.close();
      bandwidth.stop();
      notifier.close();
      await dispatchers.close();
      repo.close();
      lock.release();
    },
  };
}

/** A hold cause from a shell, checked (a typo must not hold transfers for good). */
function holdCause(cause: unknown): HoldCause {
  if (isHoldCause(cause)) return cause;
  throw new FerryError(
    'INPUT_INVALID',
    'NONE',
    `Unknown transfer hold cause '${String(cause)}'; expected one of ${HOLD_CAUSES.join(', ')}`,
  );
}

/** Re-exported so shells can match errors without reaching into app/ paths. */
export { FerryError };
