import type { ErrorContext } from './error-context.js';
import type { JobId } from './ids.js';
import type { JobPriority } from './priority.js';
import type { FileProgress, JobProgress } from './progress.js';
import type { ProxySettings } from './proxy.js';
import type { JobState } from './job-state.js';
import type { JobTimes } from './times.js';
import type { JobType } from './job-type.js';
import type { JobReplyInfo } from './reply.js';
import type { JobFlavour } from './job-flavour.js';
import type { TransferPolicy } from './transfer-policy.js';
import type { JobCredentialInfo } from './credentials.js';
import type { FileValidationInfo } from './validation.js';

/**
 * A program run when a job transfers or fails (IBackgroundCopyJob2::SetNotifyCmdLine).
 *
 * `program` is an absolute path; `args` are passed as they are, without a shell.
 */
export interface NotifyCmdLine {
  readonly program: string;
  readonly args: readonly string[];
}

/**
 * The last error of a job, as IBackgroundCopyError reports it.
 *
 * Says where it came from (context), what it was (code), which file, and the HTTP status or
 * system code behind it when there is one.
 */
export interface JobErrorInfo {
  readonly context: ErrorContext;
  readonly code: string;
  readonly message: string;
  readonly fileIndex: number | null;
  readonly httpStatus: number | null;
  readonly sysCode: string | null;
  /** "http", "https" or "file". */
  readonly protocol: string | null;
  readonly time: number;
}

/**
 * One file of a job, as IBackgroundCopyFile reports it.
 *
 * `tempName` is where the bytes live until Complete renames it to `localName`.
 */
export interface JobFileInfo {
  readonly index: number;
  readonly remoteName: string;
  readonly localName: string;
  readonly tempName: string;
  readonly progress: FileProgress;
  /** Its expected digest and validation state (IBackgroundCopyFile3, validation.ts). */
  readonly validation: FileValidationInfo;
}

/**
 * A snapshot of one job: every property its BITS getters return.
 *
 * Durations (`minimumRetryDelay`, `noProgressTimeout`, `maximumDownloadTime`) are in seconds,
 * as in BITS. A DO job's `minimumRetryDelay` is its internal back-off's current step.
 */
export interface JobInfo {
  readonly id: JobId;
  readonly type: JobType;
  /** BITS or DO (Delivery Optimization), chosen at creation (job-flavour.ts). */
  readonly flavour: JobFlavour;
  readonly displayName: string;
  readonly description: string;
  readonly state: JobState;
  readonly priority: JobPriority;
  readonly owner: string;
  readonly progress: JobProgress;
  readonly times: JobTimes;
  readonly minimumRetryDelay: number;
  readonly noProgressTimeout: number;
  /**
   * Most time the job may spend connecting and transferring before it fails with
   * JOB_MAX_DOWNLOAD_TIME (IBackgroundCopyJob4::SetMaximumDownloadTime); 0 = no limit.
   */
  readonly maximumDownloadTime: number;
  readonly notifyFlags: number;
  readonly notifyCmdLine: NotifyCmdLine | null;
  readonly proxy: ProxySettings;
  readonly customHeaders: readonly string[];
  readonly transferPolicy: TransferPolicy;
  readonly errorCount: number;
  readonly error: JobErrorInfo | null;
  /** The credentials set with SetCredentials: target, scheme and user, never the password. */
  readonly credentials: readonly JobCredentialInfo[];
  /** UPLOAD_REPLY jobs only: the reply's file name and progress (IBackgroundCopyJob2). */
  readonly reply?: JobReplyInfo;
}

/** Default minimum retry delay of a new job, in seconds (BITS: 600 s). */
export const DEFAULT_MINIMUM_RETRY_DELAY = 600;

/** Smallest minimum retry delay BITS accepts, in seconds; smaller values are raised to it. */
export const MINIMUM_RETRY_DELAY_FLOOR = 5;

/** Default no-progress timeout of a new job, in seconds (BITS: 14 days). */
export const DEFAULT_NO_PROGRESS_TIMEOUT = 14 * 24 * 60 * 60;

/** Default maximum download time of a new job, in seconds (BITS: 7,776,000 s, 90 days). */
export const DEFAULT_MAXIMUM_DOWNLOAD_TIME = 90 * 24 * 60 * 60;

/**
 * Default inactivity timeout, in seconds (BITS' JobInactivityTimeout policy: 90 days): a job
 * with no method call and no progress for this long is cancelled.
 */
export const DEFAULT_JOB_INACTIVITY_TIMEOUT = 90 * 24 * 60 * 60;

/** Least time between two JobModification callbacks of one job, in milliseconds. */
export const MINIMUM_NOTIFICATION_INTERVAL_MS = 500;

/** Longest description a job keeps (BITS: 1,024 characters). */
export const MAX_DESCRIPTION_LENGTH = 1024;

/** Longest display name a job keeps. */
export const MAX_DISPLAY_NAME_LENGTH = 256;
