import type {
  JobErrorInfo,
  JobFileInfo,
  JobFlavour,
  JobId,
  JobInfo,
  JobReplyInfo,
  JobPriority,
  JobState,
  JobType,
  NotifyCmdLine,
  ProxySettings,
  TransferPolicy,
} from '../../app/index.js';
import type { ByteSpan } from './transfer/range-set.js';
import type { RemoteValidator } from './transfer/types.js';
import type { UploadRecord } from './upload-record.js';
import type { JobCredential } from '../../app/model/credentials.js';
import { credentialInfo } from '../../app/model/credentials.js';
import type { ExpectedDigest, ValidationOutcome } from '../../app/model/validation.js';

/**
 * The engine's mutable record of one file; the store persists exactly these fields.
 *
 * Two watermarks say what the temporary file holds (durability by boot, see
 * file-watermarks.ts). `bytesOnDisk` is the written progress: bytes whose write() returned,
 * recorded during boot `bootId`; they survive a crash of the process but not of the OS.
 * `bytesDurable` is the part of it that was also datasynced, which survives a power loss.
 * `segments` (and `segmentsDurable`) is null for a file written front to back (bytes
 * [0, bytesOnDisk) are on disk); for a segmented file it lists exactly the ranges on disk,
 * which add up to `bytesOnDisk`. `bytesLive` runs ahead while a transfer is in flight and is
 * never persisted.
 */
export interface FileRecord {
  readonly index: number;
  remoteName: string;
  /** Where the file appears on Complete; a server's name replaces it once (`nameFromServer`). */
  localName: string;
  /**
   * Named "as the server names it": `localName` is a first guess until the file's first
   * response names it (response-name.ts), then this turns false for good. The temporary name
   * never changes, so renaming touches no file.
   */
  nameFromServer: boolean;
  readonly tempName: string;
  bytesTotal: number | null;
  bytesOnDisk: number;
  bytesLive: number;
  segments: ByteSpan[] | null;
  bytesDurable: number;
  segmentsDurable: ByteSpan[] | null;
  /** The boot the written watermark was recorded in; null before any byte was. */
  bootId: string | null;
  validator: RemoteValidator | null;
  transferred: boolean;
  completed: boolean;
  /** The digest its content must have and how the check went (docs/validation.md). */
  validation: FileValidation;
}

/**
 * The engine's mutable record of one job; the store persists every field but `files`' live bytes.
 *
 * `seq` orders jobs first come, first served; `noProgressSince` starts at the first transient
 * error and is cleared by progress; `retryAt` is when a TRANSIENT_ERROR job is retried.
 */
export interface JobRecord {
  readonly id: JobId;
  readonly seq: number;
  readonly type: JobType;
  /** BITS or DO, fixed at creation; the transition table's rules depend on it. */
  readonly flavour: JobFlavour;
  displayName: string;
  description: string;
  state: JobState;
  priority: JobPriority;
  owner: string;
  readonly creationTime: number;
  modificationTime: number;
  transferCompletionTime: number | null;
  minimumRetryDelay: number;
  noProgressTimeout: number;
  /** Seconds of active time allowed (time-limits.ts); 0 = no limit. */
  maximumDownloadTime: number;
  /** Active time (ms) of the stints ended since the last Resume (time-limits.ts). */
  activeTime: number;
  /** When the current active stint began (engine clock), null while not active. */
  activeSince: number | null;
  /** The last method call or progress (engine clock): the inactivity rule's start. */
  lastActivity: number;
  notifyFlags: number;
  notifyCmdLine: NotifyCmdLine | null;
  proxy: ProxySettings;
  customHeaders: readonly string[];
  transferPolicy: TransferPolicy;
  errorCount: number;
  error: JobErrorInfo | null;
  noProgressSince: number | null;
  retryAt: number | null;
  files: FileRecord[];
  /** SetCredentials: sealed in the store, never shown with the password (credentials.ts). */
  credentials: JobCredential[];
  /** UPLOAD and UPLOAD_REPLY jobs: the session, the file's snapshot and the reply (upload-jobs.ts). */
  upload?: UploadRecord;
}

/**
 * A file's content check: the expected digest (null: none known), the outcome of the last
 * check, and BITS' validation state (GetValidationState), true once the digest matched or the
 * caller said so.
 */
export interface FileValidation {
  readonly digest: ExpectedDigest | null;
  readonly outcome: ValidationOutcome;
  readonly valid: boolean;
  /** The checksum file the user named: the digest is read from it before the transfer. */
  readonly checksumUrl: string | null;
}

/** A file that has no digest and was not validated. */
export const UNCHECKED: FileValidation = {
  digest: null,
  outcome: 'unchecked',
  valid: false,
  checksumUrl: null,
};

/** The public snapshot of a file record. */
export function toFileInfo(file: FileRecord): JobFileInfo {
  return {
    index: file.index,
    remoteName: file.remoteName,
    localName: file.localName,
    tempName: file.tempName,
    progress: {
      bytesTotal: file.bytesTotal,
      bytesTransferred: Math.max(file.bytesOnDisk, file.bytesLive),
      transferred: file.transferred,
      completed: file.completed,
    },
    // Ferry has no peer caching: every byte comes from the origin (IsDownloadedFromPeer).
    validation: { ...file.validation, downloadedFromPeer: false },
  };
}

/**
 * The public snapshot of a job record: plain, frozen-shape data safe to hand to any shell.
 *
 * `bytesTotal` is null while any file's size is unknown (BG_SIZE_UNKNOWN).
 */
export function toJobInfo(job: JobRecord): JobInfo {
  let bytesTotal: number | null = 0;
  let bytesTransferred = 0;
  let filesTransferred = 0;
  for (const file of job.files) {
    bytesTotal =
      bytesTotal === null || file.bytesTotal === null ? null : bytesTotal + file.bytesTotal;
    bytesTransferred += Math.max(file.bytesOnDisk, file.bytesLive);
    if (file.transferred) filesTransferred++;
  }
  return {
    id: job.id,
    type: job.type,
    flavour: job.flavour,
    displayName: job.displayName,
    description: job.description,
    state: job.state,
    priority: job.priority,
    owner: job.owner,
    progress: {
      bytesTotal,
      bytesTransferred,
      filesTotal: job.files.length,
      filesTransferred,
    },
    times: {
      creationTime: job.creationTime,
      modificationTime: job.modificationTime,
      transferCompletionTime: job.transferCompletionTime,
      retryTime: job.state === 'TRANSIENT_ERROR' ? job.retryAt : null,
    },
    minimumRetryDelay: job.minimumRetryDelay,
    noProgressTimeout: job.noProgressTimeout,
    maximumDownloadTime: job.maximumDownloadTime,
    notifyFlags: job.notifyFlags,
    notifyCmdLine: job.notifyCmdLine,
    proxy: job.proxy,
    customHeaders: job.customHeaders,
    transferPolicy: job.transferPolicy,
    errorCount: job.errorCount,
    error: job.error,
    credentials: credentialInfo(job.credentials),
    ...(job.type === 'UPLOAD_REPLY' && job.upload !== undefined
      ? { reply: toReplyInfo(job.upload) }
      : {}),
  };
}

/** GetReplyFileName and GetReplyProgress of an upload-reply job. */
function toReplyInfo(upload: UploadRecord): JobReplyInfo {
  return {
    fileName: upload.replyFileName,
    progress: { bytesTotal: upload.replyBytesTotal, bytesTransferred: upload.replyBytes },
    completed: upload.replyCompleted,
  };
}
