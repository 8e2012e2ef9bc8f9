import { z } from 'zod';
import type { FerryErrorShape } from './errors.js';
import type { JobId } from './model/ids.js';
import type { AppSettings } from './model/app-settings.js';
import type { JobErrorInfo, JobFileInfo, JobInfo } from './model/job.js';
import type { EngineSettings } from './model/settings.js';
import type { NetworkVariable } from './model/proxy.js';
import { appSettingsPatch } from './model/app-settings.js';
import type {
  AddRequestedPayload,
  HandOffResult,
  IntegrationState,
  PairingsView,
  PairingStatus,
  RecentDownload,
} from './browser.js';
import {
  browserDecideInput,
  browserHandOffInput,
  browserIntegrateInput,
  browserOpenAddInput,
  browserPairInput,
  browserRecentInput,
  browserRevokeInput,
} from './browser.js';
import { setAllNotifyInterfacesInput, setNotifyInterfaceInput } from './notify-interface.js';
import type { NotifyRegistration } from './notify-interface.js';
import type { StateLogEntry } from './state-log.js';
import {
  addFileInput,
  addFileSetInput,
  createJobInput,
  engineSettingsPatch,
  jobIdSchema,
  jobRefInput,
  replaceRemotePrefixInput,
  setCustomHeadersInput,
  setDescriptionInput,
  setDisplayNameInput,
  setMinimumRetryDelayInput,
  setNoProgressTimeoutInput,
  setMaximumDownloadTimeInput,
  setNotifyCmdLineInput,
  setNotifyFlagsInput,
  setPriorityInput,
  setProxySettingsInput,
  setRemoteNameInput,
  setReplyFileNameInput,
  setTransferPolicyInput,
} from './commands.js';
import { removeCredentialsInput, setCredentialsInput } from './credential-commands.js';
import { setValidationStateInput } from './validation-commands.js';

/**
 * THE contract between the engine's hosts (desktop shell, headless server) and their clients
 * (renderer, CLI): every command with its input schema and result type, every event with its
 * payload, and the envelope results travel in.
 *
 * Command names follow the BITS methods (IBackgroundCopyJob::Resume → `job.resume`); event
 * names follow the BITS callbacks (IBackgroundCopyCallback::JobTransferred → `jobTransferred`).
 * Every other type in the shells derives from this file with `keyof` and indexed access.
 */

/** A job with its files and its error log: what GetJob / EnumJobs report to a UI or script. */
export interface JobDetails extends JobInfo {
  readonly files: readonly JobFileInfo[];
  /** Every error the job has had, oldest first (the current one is `error`). */
  readonly errors: readonly JobErrorInfo[];
}

/** A job list and the event revision it reflects (see `jobs.snapshot`). */
export interface JobsSnapshot {
  /** Events with a revision at or below this one are already part of `jobs`. */
  readonly revision: number;
  readonly jobs: readonly JobDetails[];
}

/** Engine-wide and shell settings together. */
export interface SettingsView {
  readonly engine: EngineSettings;
  /** The app settings; paired browser extensions are listed by `browser.pairings` instead. */
  readonly app: Omit<AppSettings, 'pairedExtensions'>;
}

/** Who hosts the engine: shown by `ferry info` and in the UI's settings. */
export interface EngineHostInfo {
  readonly version: string;
  readonly dataDir: string;
  readonly user: string;
  readonly pid: number;
  /** "desktop" or "server". */
  readonly host: 'desktop' | 'server';
  /**
   * Where downloads go when the add dialog or a drop names no folder: AppSettings'
   * `downloadFolder` when set, else the user's Downloads folder on the host's machine.
   */
  readonly defaultDownloadFolder: string;
  /**
   * The proxy and CA variables of the host's environment, as it reads them: a CLI whose own
   * differ warns that they do not apply (the host read its environment when it started).
   */
  readonly network: readonly NetworkVariable[];
}

/** What the add dialog and `ferry transfer` learn about one URL before queueing it. */
export type PlannedDownload =
  | {
      readonly ok: true;
      readonly remoteUrl: string;
      /** Absolute, sanitised, and free at planning time (also among the batch itself). */
      readonly localName: string;
      /** Size announced by the server, null when unknown or not asked. */
      readonly bytesTotal: number | null;
      /**
       * The name is a guess the server has the last word on: pass it to `job.addFileSet`, and
       * the file's first response (its Content-Disposition, else the URL after redirects)
       * names the file for good. True for http(s) URLs.
       */
      readonly nameFromServer: boolean;
    }
  | { readonly ok: false; readonly input: string; readonly error: FerryErrorShape };

/** Input of `downloads.plan`: raw lines (one URL each) and the folder they go to. */
export const planDownloadsInput = z.strictObject({
  urls: z
    .array(z.string().max(8192, 'is too long'))
    .min(1, 'must hold at least one URL')
    .max(10_000),
  folder: z.string().min(1, 'must not be empty').max(4096, 'is too long'),
  /**
   * Ask each server for its name and size first (a one-byte GET through the engine's
   * connections), for a preview; off plans from the URL only, and the first response of each
   * transfer names the file anyway.
   */
  probe: z.boolean().default(true),
  /**
   * Create the folder (and its missing parents) when it does not exist, as aria2c and wget do
   * for their output folder; refused for Ferry's data directory and device folders.
   */
  createFolder: z.boolean().default(false),
});

/** Input of `jobs.enum` and `jobs.snapshot`. */
export const enumJobDetailsInput = z
  .strictObject({
    allUsers: z.boolean().default(false),
    /** Also list ACKNOWLEDGED and CANCELLED jobs kept in history. */
    includeHistory: z.boolean().default(false),
  })
  .default({ allUsers: false, includeHistory: false });

/**
 * Input of `jobs.enum`: the listing of `jobs.snapshot`, optionally one page at a time. A
 * client that lists thousands of jobs asks for `limit` of them, then for the next page with
 * `after` set to the last id it got, until a page comes back shorter than `limit`.
 */
export const enumJobsPageInput = z
  .strictObject({
    allUsers: z.boolean().default(false),
    includeHistory: z.boolean().default(false),
    /** Start after this job (the last one of the previous page). */
    after: jobIdSchema.optional(),
    /** At most this many jobs (default: all of them). */
    limit: z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(10_000, 'must be at most 10000')
      .optional(),
  })
  .default({ allUsers: false, includeHistory: false });

/** What one batched command does to each job it names. */
export const JOB_BATCH_ACTIONS = [
  'suspend',
  'resume',
  'complete',
  'cancel',
  /** Forget the job: cancelled first when not final, then removed from history. */
  'remove',
  /** One priority step up (LOW → NORMAL → HIGH); FOREGROUND stays. */
  'moveUp',
  /** One priority step down (FOREGROUND → HIGH → NORMAL → LOW). */
  'moveDown',
] as const;
/** One batch action. */
export type JobBatchAction = (typeof JOB_BATCH_ACTIONS)[number];

/**
 * Input of `jobs.batch`: one action on many jobs, as one command, so a UI never races
 * thousands of single calls (and never leaves a silent partial result).
 */
export const jobsBatchInput = z.strictObject({
  action: z.enum(JOB_BATCH_ACTIONS),
  jobIds: z
    .array(jobIdSchema)
    .min(1, 'must name at least one job')
    .max(100_000, 'names too many jobs (at most 100000)'),
  /** `remove` only: also delete the job's files (completed ones at their final names). */
  deleteFiles: z.boolean().default(false),
});

/** Result of `jobs.batch`: how many jobs it was done to, and why the others refused. */
export interface JobsBatchOutput {
  readonly action: JobBatchAction;
  readonly requested: number;
  readonly done: number;
  readonly failed: readonly { readonly jobId: JobId; readonly error: FerryErrorShape }[];
}

/** Input of `files.link`: one file of one job. */
export const fileLinkInput = z.strictObject({
  jobId: jobIdSchema,
  fileIndex: z.number().int('must be an integer').nonnegative('must not be negative'),
});

/**
 * A link to a saved file, for "Open file": `url` is a path on the host's own server, working
 * for a few minutes without the access token; `path` is where the file is on the host.
 */
export interface FileLink {
  readonly url: string;
  readonly path: string;
}

/** Input of `files.open`: open a saved file, or show it in its folder (`reveal`). */
export const openFileInput = z.strictObject({
  jobId: jobIdSchema,
  fileIndex: z.number().int('must be an integer').nonnegative('must not be negative'),
  reveal: z.boolean().default(false),
});

/** Input of `folders.pick`: where the host's folder dialog starts ('' for its default). */
export const pickFolderInput = z.strictObject({
  start: z.string().max(4096, 'is too long').default(''),
});

/** Input of `folders.list`: an absolute folder on the host, '' for the user's home. */
export const listFolderInput = z.strictObject({
  path: z.string().max(4096, 'is too long'),
});

/** A folder's sub-folders, for the add dialog's folder picker in a browser. */
export interface FolderListing {
  readonly path: string;
  /** The folder above, or null at the top of what may be browsed (the user's home). */
  readonly parent: string | null;
  readonly home: string;
  /** The host's path separator. */
  readonly separator: string;
  readonly folders: readonly { readonly name: string; readonly path: string }[];
  /** More sub-folders than listed. */
  readonly truncated: boolean;
}

/** Input of commands without input. */
export const noInput = z.strictObject({}).default({});

/**
 * Input of `settings.set`. Paired browser extensions are left out: only the user's answer to
 * a pairing request (`browser.decide`) adds one, and `browser.revoke` removes one.
 */
export const setSettingsInput = z.strictObject({
  engine: engineSettingsPatch.optional(),
  app: appSettingsPatch.omit({ pairedExtensions: true }).optional(),
});

/** A command: its input schema, and (as a phantom type) its result. */
export interface CommandSpec<I extends z.ZodType, O> {
  readonly input: I;
  /** Type-only: never set. */
  readonly output?: O;
  /** True when the command changes nothing (safe to retry, allowed in read-only tools). */
  readonly read: boolean;
}

function command<O>() {
  return <I extends z.ZodType>(input: I, read = false): CommandSpec<I, O> => ({ input, read });
}

/** Result of Complete: the job after it, and what BITS' partial-completion codes say. */
export interface CompleteOutput {
  readonly job: JobDetails;
  /** Some files had not transferred and were dropped (BG_S_PARTIAL_COMPLETE). */
  readonly partial: boolean;
  /** Some temporary files could not be deleted (BG_S_UNABLE_TO_DELETE_FILES). */
  readonly unableToDeleteFiles: boolean;
}

/**
 * Result of GetReplyData (UPLOAD_REPLY jobs, once the reply arrived): the reply's bytes as
 * base64, since the contract travels as JSON; at most 1 MiB (a larger reply is read from its
 * file, GetReplyFileName).
 */
export interface ReplyDataOutput {
  readonly base64: string;
  readonly bytes: number;
}

/** Result of Cancel. */
export interface CancelOutput {
  readonly job: JobDetails;
  readonly unableToDeleteFiles: boolean;
}

/** Every command. */
export const COMMANDS = {
  'engine.info': command<EngineHostInfo>()(noInput, true),
  'job.create': command<JobDetails>()(createJobInput),
  'job.get': command<JobDetails>()(jobRefInput, true),
  'job.addFile': command<JobDetails>()(addFileInput),
  'job.addFileSet': command<JobDetails>()(addFileSetInput),
  'job.resume': command<JobDetails>()(jobRefInput),
  'job.suspend': command<JobDetails>()(jobRefInput),
  'job.complete': command<CompleteOutput>()(jobRefInput),
  'job.cancel': command<CancelOutput>()(jobRefInput),
  'job.takeOwnership': command<JobDetails>()(jobRefInput),
  'job.setDisplayName': command<JobDetails>()(setDisplayNameInput),
  'job.setDescription': command<JobDetails>()(setDescriptionInput),
  'job.setPriority': command<JobDetails>()(setPriorityInput),
  'job.setMinimumRetryDelay': command<JobDetails>()(setMinimumRetryDelayInput),
  'job.setNoProgressTimeout': command<JobDetails>()(setNoProgressTimeoutInput),
  /** IBackgroundCopyJob4::SetMaximumDownloadTime: seconds of active time; 0 = no limit. */
  'job.setMaximumDownloadTime': command<JobDetails>()(setMaximumDownloadTimeInput),
  'job.setNotifyFlags': command<JobDetails>()(setNotifyFlagsInput),
  'job.setNotifyCmdLine': command<JobDetails>()(setNotifyCmdLineInput),
  /** SetNotifyInterface: this client's callbacks for the job (see notify-interface.ts). */
  'job.setNotifyInterface': command<NotifyRegistration>()(setNotifyInterfaceInput),
  /** This client's callbacks for every job, present and future. */
  'jobs.setNotifyInterface': command<{ registered: boolean }>()(setAllNotifyInterfacesInput),
  /** The job's state log: transitions made for a power or session cause (state-log.ts). */
  'job.stateLog': command<StateLogEntry[]>()(jobRefInput, true),
  'job.setProxySettings': command<JobDetails>()(setProxySettingsInput),
  'job.setCustomHeaders': command<JobDetails>()(setCustomHeadersInput),
  'job.setTransferPolicy': command<JobDetails>()(setTransferPolicyInput),
  'job.setRemoteName': command<JobDetails>()(setRemoteNameInput),
  /** IBackgroundCopyJob2::SetCredentials / RemoveCredentials (docs/credentials.md). */
  'job.setCredentials': command<JobDetails>()(setCredentialsInput),
  'job.removeCredentials': command<JobDetails>()(removeCredentialsInput),
  /** IBackgroundCopyFile3::SetValidationState (docs/validation.md). */
  'job.setValidationState': command<JobDetails>()(setValidationStateInput),
  /** IBackgroundCopyJob2::SetReplyFileName (UPLOAD_REPLY jobs). */
  'job.setReplyFileName': command<JobDetails>()(setReplyFileNameInput),
  /** IBackgroundCopyJob2::GetReplyData (UPLOAD_REPLY jobs). */
  'job.getReplyData': command<ReplyDataOutput>()(jobRefInput, true),
  'job.replaceRemotePrefix': command<{ job: JobDetails; replaced: number }>()(
    replaceRemotePrefixInput,
  ),
  'jobs.enum': command<JobDetails[]>()(enumJobsPageInput, true),
  'jobs.snapshot': command<JobsSnapshot>()(enumJobDetailsInput, true),
  'jobs.history': command<JobDetails[]>()(noInput, true),
  'jobs.removeFromHistory': command<{ removed: JobId }>()(jobRefInput),
  'jobs.clearHistory': command<{ removed: number }>()(noInput),
  'jobs.batch': command<JobsBatchOutput>()(jobsBatchInput),
  'files.link': command<FileLink>()(fileLinkInput),
  'folders.list': command<FolderListing>()(listFolderInput, true),
  /**
   * Opens a saved file (or its folder) on the host's desktop; `opened` is false where the host
   * has none to open it on (`ferry serve`), and the window falls back to `files.link`.
   */
  'files.open': command<{ opened: boolean }>()(openFileInput),
  /**
   * The host's own folder dialog; `supported` is false where there is none (`ferry serve`),
   * and the window browses with `folders.list` instead. `path` is null when cancelled.
   */
  'folders.pick': command<{ supported: boolean; path: string | null }>()(pickFolderInput),
  'settings.get': command<SettingsView>()(noInput, true),
  'settings.set': command<SettingsView>()(setSettingsInput),
  'downloads.plan': command<PlannedDownload[]>()(planDownloadsInput, true),
  'browser.pair': command<{ status: PairingStatus }>()(browserPairInput),
  'browser.pairings': command<PairingsView>()(noInput, true),
  'browser.decide': command<PairingsView>()(browserDecideInput),
  'browser.revoke': command<PairingsView>()(browserRevokeInput),
  'browser.handOff': command<HandOffResult>()(browserHandOffInput),
  'browser.openAdd': command<{ windows: number }>()(browserOpenAddInput),
  'browser.recent': command<RecentDownload[]>()(browserRecentInput, true),
  'browser.integrationStatus': command<IntegrationState[]>()(noInput, true),
  'browser.integrate': command<IntegrationState[]>()(browserIntegrateInput),
} as const;

/** A command name, e.g. `job.resume`. */
export type CommandName = keyof typeof COMMANDS;
/** What a caller passes to a command (defaults may be left out). */
export type CommandInput<C extends CommandName> = z.input<(typeof COMMANDS)[C]['input']>;
/** What a handler receives after the schema parsed it. */
export type ParsedInput<C extends CommandName> = z.output<(typeof COMMANDS)[C]['input']>;
/** What a command resolves to. */
export type CommandOutput<C extends CommandName> = NonNullable<(typeof COMMANDS)[C]['output']>;

/** Every command name, for allowlists (preload, server). */
export const COMMAND_NAMES = Object.keys(COMMANDS) as readonly CommandName[];

/** Whether a string names a command. */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}

/**
 * A coalesced batch of job changes for UIs: at most ~4 per second per client, sent at once
 * when a job changes state. Each job appears once, in its latest form.
 */
export interface JobsChangedPayload {
  readonly revision: number;
  readonly changed: readonly JobInfo[];
  readonly added: readonly JobDetails[];
  readonly removed: readonly JobId[];
}

/**
 * Every event with its payload. Each carries the host's event revision (see `jobs.snapshot`).
 *
 * `jobAdded`, `jobRemoved` and `jobsChanged` reach every client that subscribes to them. The
 * four BITS callbacks (`jobTransferred`, `jobError`, `jobModification`, `fileTransferred`)
 * reach a subscribed client only for the jobs it registered for with `job.setNotifyInterface`
 * (or `jobs.setNotifyInterface`), and only as far as each job's notify flags allow.
 */
export interface EventPayloads {
  jobAdded: { readonly revision: number; readonly job: JobDetails };
  jobRemoved: { readonly revision: number; readonly jobId: JobId };
  jobModification: { readonly revision: number; readonly job: JobInfo };
  jobTransferred: { readonly revision: number; readonly job: JobInfo };
  jobError: { readonly revision: number; readonly job: JobInfo; readonly error: JobErrorInfo };
  fileTransferred: { readonly revision: number; readonly job: JobInfo; readonly file: JobFileInfo };
  jobsChanged: JobsChangedPayload;
  /** A browser extension asks to be paired, or a pairing was answered or revoked. */
  pairingsChanged: { readonly revision: number; readonly pairings: PairingsView };
  /** A paired extension sends links for the Add dialog ("Download all links with Ferry"). */
  addRequested: AddRequestedPayload;
}

/** An event name. */
export type EventName = keyof EventPayloads;

/** Every event name, for allowlists. */
export const EVENT_NAMES = [
  'jobAdded',
  'jobRemoved',
  'jobModification',
  'jobTransferred',
  'jobError',
  'fileTransferred',
  'jobsChanged',
  'pairingsChanged',
  'addRequested',
] as const satisfies readonly EventName[];

/** Whether a string names an event. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/** How every result crosses a boundary: a value or an error shape, never a thrown error. */
export type Envelope<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: FerryErrorShape };

/** The state of a client's link to its host, for the UI's banner. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * What the renderer and the CLI talk to: the preload's `window.ferry` in the desktop app, a
 * WebSocket client against `ferry serve`. Errors come back as thrown FerryErrors.
 */
export interface FerryClient {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Follows the link's state; called at once with the current one. Returns an unsubscribe. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
