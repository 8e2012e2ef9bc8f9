import { renameSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FerryError, hasErrorCode, isUploadType, jobTypeWithArticle } from '../../app/index.js';
import { errorText } from './error-chain.js';
import { lowerWatermarks, resetWatermarks } from './file-watermarks.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { checkLocalName, checkRemoteName, checkUploadSource } from './local-path.js';
import type { UploadRepo } from './store/upload-repo.js';
import type { AttemptHost, AttemptOutcome } from './transfer-attempt.js';
import { runTransfer } from './transfer/index.js';
import { setTempFileLength, tempFileSize } from './transfer/disk/temp-file.js';
import { localFileError } from './transfer/map-error.js';
import { cancelSession, closeSession } from './transfer/upload/session-end.js';
import { uploadFile } from './transfer/upload/upload-file.js';
import type { PacketContext } from './transfer/upload/bits-packet.js';
import { transferAuth } from './transfer/auth/authenticator.js';
import type { TransferAuth } from './transfer/auth/authenticator.js';
import type { SourceSnapshot } from './transfer/upload/upload-file.js';
import { newUploadRecord } from './upload-record.js';
import type { UploadRecord } from './upload-record.js';

/** What the upload side of the engine is built from. */
export interface UploadJobsDeps {
  readonly repo: UploadRepo;
  /** No file may be uploaded from (or a reply saved in) the data directory. */
  readonly dataDir: string;
  /** Most bytes per Fragment packet. */
  readonly fragmentSize: number;
}

/** Bytes per Fragment packet when the engine is not told otherwise. */
export const DEFAULT_FRAGMENT_SIZE = 1024 * 1024;

/** The largest reply GetReplyData hands over in memory; larger ones are read from the file. */
export const MAX_REPLY_DATA = 1024 * 1024;

/** How long Cancel waits for the server to hear Cancel-Session. */
const CANCEL_SESSION_TIMEOUT_MS = 5000;

/**
 * Upload and upload-reply jobs (IBackgroundCopyJob2): what the job methods do differently for
 * them, and their runs.
 *
 * An upload job holds exactly one file, whose remote name is the server's upload URL and local
 * name the file to send; it is sent with the BITS upload protocol (transfer/upload/), and for
 * an upload-reply job the server's reply is then downloaded, like any download, to a temporary
 * file that Complete renames to the reply file name. The session is closed (Close-Session)
 * before the job is TRANSFERRED, and Cancel tells the server (Cancel-Session), best effort.
 */
export class UploadJobs {
  constructor(private readonly deps: UploadJobsDeps) {}

  /** Puts the stored upload records back on their jobs (after the store loaded them). */
  restore(jobs: Iterable<JobRecord>): void {
    const records = this.deps.repo.loadAll();
    for (const job of jobs) {
      if (isUploadType(job.type)) job.upload = records.get(job.id) ?? newUploadRecord();
    }
  }

  /** A new upload job's record; nothing for a download job. */
  created(job: JobRecord): void {
    if (!isUploadType(job.type)) return;
    job.upload = newUploadRecord();
    this.deps.repo.save(job.id, job.upload);
  }

  /**
   * Checks AddFile on an upload job, before anything changes: one file per job (BITS'
   * BG_E_TOO_MANY_FILES), an http(s) upload URL, and a regular file that can be read now
   * (and is outside the data directory). Returns the file's snapshot.
   */
  checkFiles(
    job: JobRecord,
    specs: readonly { remoteUrl: string; localName: string }[],
  ): SourceSnapshot {
    const [spec] = specs;
    if (job.files.length + specs.length > 1 || spec === undefined) {
      throw new FerryError(
        'INPUT_TOO_MANY_FILES',
        'GENERAL_QUEUE_MANAGER',
        `An ${job.type} job holds exactly one file, and job '${job.displayName}' ${job.files.length > 0 ? 'has one already' : `was given ${String(specs.length)}`}`,
      );
    }
    checkUploadUrl(spec.remoteUrl);
    return checkUploadSource(spec.localName, this.deps.dataDir);
  }

  /**
   * The file was pointed at another upload URL (SetRemoteName, ReplaceRemotePrefix): the
   * upload starts over there, in a new session; the old server's session is left to expire.
   * Called inside the store transaction that saves the file.
   */
  restart(job: JobRecord, file: FileRecord): void {
    const record = this.recordOf(job);
    record.session = null;
    record.sessionClosed = false;
    record.replyUrl = null;
    if (!record.replyCompleted) {
      record.replyBytes = 0;
      record.replyBytesTotal = null;
      record.replyValidator = null;
      record.replyTransferred = false;
    }
    resetWatermarks(file);
    file.bytesLive = 0;
    file.transferred = false;
    this.deps.repo.save(job.id, record);
  }

  /** Records the snapshot of the job's file once AddFile succeeded. */
  fileAdded(job: JobRecord, source: SourceSnapshot): void {
    const record = this.recordOf(job);
    record.source = source;
    const [file] = job.files;
    if (job.type === 'UPLOAD_REPLY' && record.replyFileName === null && file !== undefined) {
      record.replyFileName = `${file.localName}.reply`;
    }
    this.deps.repo.save(job.id, record);
  }

  /** SetReplyFileName (upload-reply jobs): where Complete puts the reply. */
  setReplyFileName(job: JobRecord, replyFileName: string): void {
    if (job.type !== 'UPLOAD_REPLY') {
      throw new FerryError(
        'INPUT_WRONG_JOB_TYPE',
        'GENERAL_QUEUE_MANAGER',
        `Job '${job.displayName}' is ${jobTypeWithArticle(job.type)} job: only UPLOAD_REPLY jobs have a reply file`,
      );
    }
    const record = this.recordOf(job);
    if (record.replyTransferred || record.replyBytes > 0) {
      throw new FerryError(
        'JOB_INVALID_STATE',
        'GENERAL_QUEUE_MANAGER',
        `The reply of job '${job.displayName}' has started arriving: its file name can no longer change`,
      );
    }
    record.replyFileName = checkLocalName(replyFileName, this.deps.dataDir);
    this.deps.repo.save(job.id, record);
  }

  /** GetReplyData: the reply in memory, once it has arrived (at most MAX_REPLY_DATA bytes). */
  async replyData(job: JobRecord): Promise<Buffer> {
    const record = this.uploadReplyRecord(job);
    if (!record.replyTransferred || record.replyFileName === null) {
      throw new FerryError(
        'JOB_INVALID_STATE',
        'GENERAL_QUEUE_MANAGER',
        `The reply of job '${job.displayName}' has not arrived yet (the job is ${job.state})`,
      );
    }
    const path = record.replyCompleted
      ? record.replyFileName
      : replyTempName(record.replyFileName, job.id);
    if ((record.replyBytesTotal ?? record.replyBytes) > MAX_REPLY_DATA) {
      throw new FerryError(
        'INPUT_INVALID',
        'GENERAL_QUEUE_MANAGER',
        `The reply of job '${job.displayName}' is ${String(record.replyBytesTotal ?? record.replyBytes)} bytes, more than GetReplyData hands over (${String(MAX_REPLY_DATA)}); read ${path}`,
      );
    }
    try {
      return await readFile(path);
    } catch (error) {
      throw localFileError(error, path);
    }
  }

  /**
   * One attempt at an upload job: the file (resumed in its session), then for upload-reply
   * jobs the reply, then Close-Session. Resolves to the attempt's outcome, as a download's.
   *
   * A reply the server no longer has (404 or 410: it lost the session, say by a restart) can
   * only be made again by uploading again, so the upload starts over once, in a new session.
   */
  async attempt(job: JobRecord, signal: AbortSignal, host: AttemptHost): Promise<AttemptOutcome> {
    const bandwidth = host.bandwidth(job);
    const record = this.recordOf(job);
    const ctx = packetContext(job, host, signal);
    const [file] = job.files;
    try {
      if (file === undefined || record.source === null) return { kind: 'transferred' };
      for (let pass = 0; ; pass++) {
        if (!file.transferred) await this.sendFile(job, file, record, host, ctx, bandwidth);
        if (job.type !== 'UPLOAD_REPLY' || record.replyTransferred) break;
        try {
          await this.fetchReply(job, file, record, host, signal, ctx.auth ?? transferAuth([]));
          break;
        } catch (error) {
          if (pass > 0 || signal.aborted || !hasErrorCode(error, 'HTTP_NOT_FOUND')) throw error;
          this.restart(job, file);
          host.saveFile(job, file);
        }
      }
      if (record.session !== null && !record.sessionClosed) {
        await closeSession(ctx, record.session);
        record.sessionClosed = true;
        this.deps.repo.save(job.id, record);
      }
      return { kind: 'transferred' };
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted' };
      return { kind: 'failed', error: asFerryError(error).withFileIndex(0) };
    } finally {
      bandwidth.release();
    }
  }

  /**
   * Complete on an upload job (only in TRANSFERRED, which the transition table enforces): the
   * file is on the server already; an upload-reply job's reply is renamed to its name.
   */
  complete(job: JobRecord, host: AttemptHost): void {
    const record = this.recordOf(job);
    if (job.type === 'UPLOAD_REPLY' && record.replyFileName !== null && !record.replyCompleted) {
      const temp = replyTempName(record.replyFileName, job.id);
      try {
        renameSync(temp, record.replyFileName);
      } catch (error) {
        throw new FerryError(
          'FILE_RENAME_FAILED',
          'LOCAL_FILE',
          `Cannot rename the reply ${temp} to ${record.replyFileName}: ${errorText(error)}`,
          { cause: error },
        );
      }
      record.replyCompleted = true;
      this.deps.repo.save(job.id, record);
    }
    for (const file of job.files) {
      if (!file.transferred || file.completed) continue;
      file.completed = true;
      host.saveFile(job, file);
    }
  }

  /**
   * Cancel on an upload job: Cancel-Session for a session still open (best effort, a few
   * seconds at most), and the reply's temporary file deleted. Whether every file went.
   */
  async cancel(job: JobRecord, host: AttemptHost): Promise<boolean> {
    const record = this.recordOf(job);
    if (record.session !== null && !record.sessionClosed) {
      const signal = AbortSignal.timeout(CANCEL_SESSION_TIMEOUT_MS);
      if (await cancelSession(packetContext(job, host, signal), record.session)) {
        record.sessionClosed = true;
        this.deps.repo.save(job.id, record);
      }
    }
    if (record.replyFileName === null || record.replyCompleted) return true;
    try {
      rmSync(replyTempName(record.replyFileName, job.id), { force: true });
      return true;
    } catch {
      return false;
    }
  }

  private async sendFile(
    job: JobRecord,
    file: FileRecord,
    record: UploadRecord,
    host: AttemptHost,
    ctx: PacketContext,
    bandwidth: ReturnType<AttemptHost['bandwidth']>,
  ): Promise<void> {
    const source = record.source;
    if (source === null) return;
    const start = (): void => {
      host.onStart(job, file, {
        offset: file.bytesOnDisk,
        totalBytes: source.size,
        validator: { etag: null, lastModified: new Date(source.mtimeMs).toISOString() },
        restarted: false,
        finalUrl: file.remoteName,
      });
    };
    file.bytesLive = file.bytesOnDisk;
    const result = await uploadFile(
      {
        ...ctx,
        remoteUrl: file.remoteName,
        sourcePath: file.localName,
        snapshot: source,
        session: record.session,
        acked: file.bytesOnDisk,
        fragmentSize: this.deps.fragmentSize,
        throttle: bandwidth,
      },
      {
        onConnected: start,
        onSession: (session) => {
          // Recorded before any fragment of the session goes out.
          record.session = session;
          record.sessionClosed = false;
          record.replyUrl = null;
          this.deps.repo.save(job.id, record);
        },
        onProgress: (bytes) => {
          file.bytesLive = Math.max(bytes, file.bytesOnDisk);
          host.onLiveProgress(job, file);
        },
        onAcked: (offset) => {
          if (offset < file.bytesOnDisk) {
            // The server holds less than recorded (a new session, or it lost bytes).
            if (offset === 0) resetWatermarks(file);
            else lowerWatermarks(file, offset);
            file.bytesLive = offset;
            host.saveFile(job, file);
            return;
          }
          // What the server acknowledged it holds: as good as synced bytes of a download.
          host.onCheckpoint(job, file, offset, undefined, true);
        },
      },
    );
    record.replyUrl = result.replyUrl;
    this.deps.repo.save(job.id, record);
    file.bytesTotal = source.size;
    file.bytesOnDisk = source.size;
    file.bytesDurable = source.size;
    file.bytesLive = source.size;
    file.transferred = true;
    host.commitTransferred(job, [file]);
  }

  /** Downloads the reply to its temporary file, resuming what is there. */
  private async fetchReply(
    job: JobRecord,
    file: FileRecord,
    record: UploadRecord,
    host: AttemptHost,
    signal: AbortSignal,
    auth: TransferAuth,
  ): Promise<void> {
    const name = record.replyFileName ?? `${file.localName}.reply`;
    record.replyFileName = name;
    const tempPath = replyTempName(name, job.id);
    const save = (): void => {
      this.deps.repo.save(job.id, record);
    };
    if (record.replyUrl === null) {
      // The server sent no reply: the reply is empty, as BITS reports it.
      await writeEmpty(tempPath);
      record.replyBytesTotal = 0;
      record.replyBytes = 0;
      record.replyTransferred = true;
      save();
      return;
    }
    const replyUrl = record.replyUrl;
    try {
      // Only recorded bytes are trusted (as for a download's temporary file): a longer file is
      // cut back to the record, a shorter or missing one starts the reply over.
      const size = await tempFileSize(tempPath);
      if (size === undefined || size < record.replyBytes) record.replyBytes = 0;
      await setTempFileLength(tempPath, record.replyBytes);
      const result = await runTransfer(
        {
          remoteUrl: replyUrl,
          tempPath,
          offset: record.replyBytes,
          totalBytes: record.replyBytesTotal,
          validator: record.replyValidator,
          headers: job.customHeaders,
          userAgent: host.userAgent(),
          connectionFor: (url) => host.connectionFor(url, job.proxy),
          signal,
          checkpoint: host.checkpoint,
          limits: host.limits,
          auth,
        },
        {
          onStart: (start) => {
            record.replyBytesTotal = start.totalBytes;
            record.replyValidator = start.validator;
            if (start.restarted) record.replyBytes = 0;
            save();
            if (job.state === 'CONNECTING') {
              host.onStart(job, file, {
                offset: file.bytesOnDisk,
                totalBytes: file.bytesTotal,
                validator: file.validator ?? { etag: null, lastModified: null },
                restarted: false,
                finalUrl: file.remoteName,
              });
            }
          },
          onProgress: () => {
            host.onLiveProgress(job, file);
          },
          onCheckpoint: (bytes) => {
            record.replyBytes = bytes;
            save();
          },
        },
      );
      record.replyBytesTotal = result.totalBytes;
      record.replyBytes = result.totalBytes;
      record.replyTransferred = true;
      save();
    } catch (error) {
      if (signal.aborted) throw error;
      const failure = asFerryError(error);
      throw new FerryError(
        failure.code,
        failure.context,
        `Reply of the upload (${replyUrl}): ${failure.message}`,
        {
          cause: failure,
          ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
          ...(failure.sysCode === undefined ? {} : { sysCode: failure.sysCode }),
          ...(failure.retryAfter === undefined ? {} : { retryAfter: failure.retryAfter }),
        },
      );
    }
  }

  private recordOf(job: JobRecord): UploadRecord {
    job.upload ??= newUploadRecord();
    return job.upload;
  }

  private uploadReplyRecord(job: JobRecord): UploadRecord {
    if (job.type !== 'UPLOAD_REPLY') {
      throw new FerryError(
        'INPUT_WRONG_JOB_TYPE',
        'GENERAL_QUEUE_MANAGER',
        `Job '${job.displayName}' is ${jobTypeWithArticle(job.type)} job: only UPLOAD_REPLY jobs have a reply`,
      );
    }
    return this.recordOf(job);
  }
}

/** An upload URL: http or https (checkRemoteName's other checks included), else INPUT_*. */
export function checkUploadUrl(remoteUrl: string): void {
  const url = checkRemoteName(remoteUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FerryError(
      'INPUT_UNSUPPORTED_SCHEME',
      'REMOTE_FILE',
      `An upload goes to an http or https URL, not ${url.protocol} (${remoteUrl})`,
    );
  }
}

/** Where a reply waits for Complete: hidden beside its name, as a download's bytes do. */
export function replyTempName(replyFileName: string, jobId: string): string {
  const id = jobId.replace(/-/g, '').slice(0, 16);
  return join(dirname(replyFileName), `.${basename(replyFileName)}.${id}-reply.ferry-part`);
}

/** What every packet of the job's attempt shares; its credentials answer 401/407 challenges. */
function packetContext(
  job: JobRecord,
  host: AttemptHost,
  signal: AbortSignal,
  auth: TransferAuth = transferAuth(job.credentials),
): PacketContext {
  return {
    connectionFor: (url) => host.connectionFor(url, job.proxy),
    headers: job.customHeaders,
    userAgent: host.userAgent(),
    limits: host.limits,
    signal,
    auth,
  };
}

async function writeEmpty(path: string): Promise<void> {
  try {
    await writeFile(path, '');
  } catch (error) {
    throw localFileError(error, path);
  }
}

function asFerryError(error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  return new FerryError('INTERNAL', 'UNKNOWN', `Unexpected failure: ${errorText(error)}`, {
    cause: error,
  });
}
