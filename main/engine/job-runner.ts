import { closeSync, ftruncateSync, openSync, statSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import type { ProxySettings } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import { errorText } from './error-chain.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { runTransfer } from './transfer/index.js';
import { localFileError } from './transfer/map-error.js';
import type { CheckpointPolicy, TransferLimits, TransferStart } from './transfer/types.js';

/** How a run of a job ended. */
export type RunOutcome =
  | { readonly kind: 'transferred' }
  | { readonly kind: 'failed'; readonly error: FerryError }
  | { readonly kind: 'aborted' };

/** What a run needs from the engine: transfer settings and hooks for every change. */
export interface RunnerHost {
  readonly checkpoint: CheckpointPolicy;
  readonly limits: TransferLimits;
  userAgent(): string;
  dispatcherFor(url: URL, proxy: ProxySettings): Dispatcher;
  /** A response was accepted for a file (the connection succeeded). */
  onStart(job: JobRecord, file: FileRecord, start: TransferStart): void;
  /** Bytes arrived (live, not durable). */
  onLiveProgress(job: JobRecord, file: FileRecord): void;
  /** Bytes were flushed to disk: record them. */
  onCheckpoint(job: JobRecord, file: FileRecord, bytesOnDisk: number): void;
  /** A file reached the end; its record says so already. */
  onFileTransferred(job: JobRecord, file: FileRecord): void;
  /** A file's record changed outside a transfer (e.g. its temporary file was reset). */
  saveFile(job: JobRecord, file: FileRecord): void;
}

/**
 * Runs one job: its files one after another (as BITS does), each into its temporary file.
 *
 * Files added while the job runs are picked up, since the next file is looked up afresh each
 * time. The run never changes the job's state itself: the caller does, from the outcome.
 */
export async function runJob(
  job: JobRecord,
  signal: AbortSignal,
  host: RunnerHost,
): Promise<RunOutcome> {
  for (;;) {
    if (signal.aborted) return { kind: 'aborted' };
    const file = job.files.find((f) => !f.transferred);
    if (file === undefined) return { kind: 'transferred' };
    try {
      prepareTempFile(job, file, host);
      const result = await runTransfer(
        {
          remoteUrl: file.remoteName,
          tempPath: file.tempName,
          offset: file.bytesOnDisk,
          totalBytes: file.bytesTotal,
          validator: file.validator,
          headers: job.customHeaders,
          userAgent: host.userAgent(),
          dispatcherFor: (url) => host.dispatcherFor(url, job.proxy),
          signal,
          checkpoint: host.checkpoint,
          limits: host.limits,
        },
        {
          onStart: (start) => {
            host.onStart(job, file, start);
          },
          onProgress: (bytes) => {
            file.bytesLive = bytes;
            host.onLiveProgress(job, file);
          },
          onCheckpoint: (bytes) => {
            host.onCheckpoint(job, file, bytes);
          },
        },
      );
      file.bytesTotal = result.totalBytes;
      file.bytesOnDisk = result.totalBytes;
      file.bytesLive = result.totalBytes;
      file.validator = result.validator;
      file.transferred = true;
      host.saveFile(job, file);
      host.onFileTransferred(job, file);
    } catch (error) {
      file.bytesLive = file.bytesOnDisk;
      if (isAborted(signal)) return { kind: 'aborted' };
      return { kind: 'failed', error: asFerryError(error).withFileIndex(file.index) };
    }
  }
}

/**
 * Makes the temporary file agree with the record before a transfer resumes it.
 *
 * Only recorded bytes are trusted: a longer file (bytes written after the last checkpoint, then
 * a crash) is truncated to the record; a shorter or missing one lowers the record to what is
 * there. Either way the record never claims a byte the disk does not hold.
 */
function prepareTempFile(job: JobRecord, file: FileRecord, host: RunnerHost): void {
  try {
    const size = statSync(file.tempName, { throwIfNoEntry: false })?.size;
    if (size === undefined) {
      closeSync(openSync(file.tempName, 'w'));
      if (file.bytesOnDisk !== 0) {
        file.bytesOnDisk = 0;
        host.saveFile(job, file);
      }
    } else if (size > file.bytesOnDisk) {
      const fd = openSync(file.tempName, 'r+');
      try {
        ftruncateSync(fd, file.bytesOnDisk);
      } finally {
        closeSync(fd);
      }
    } else if (size < file.bytesOnDisk) {
      file.bytesOnDisk = size;
      host.saveFile(job, file);
    }
    file.bytesLive = file.bytesOnDisk;
  } catch (error) {
    throw localFileError(error, file.tempName);
  }
}

/** Anything thrown by a transfer as a FerryError; unexpected throwables become INTERNAL. */
function asFerryError(error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  return new FerryError('INTERNAL', 'UNKNOWN', `Unexpected failure: ${errorText(error)}`, {
    cause: error,
  });
}

/** Read through a call: the signal changes while a transfer is awaited. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
