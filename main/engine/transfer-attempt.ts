import { setMaxListeners } from 'node:events';
import type { ProxySettings } from '../../app/index.js';
import { FerryError } from '../../app/index.js';
import { errorText } from './error-chain.js';
import { lowerWatermarks, resetWatermarks } from './file-watermarks.js';
import type { FileRecord, JobRecord } from './job-record.js';
import { runTransfer } from './transfer/index.js';
import type { JobBandwidth } from './transfer/speed/bandwidth.js';
import { removeTempFile, setTempFileLength, tempFileSize } from './transfer/disk/temp-file.js';
import type { ByteSpan } from './transfer/range-set.js';
import { transferAuth } from './transfer/auth/authenticator.js';
import type { TransferAuth } from './transfer/auth/authenticator.js';
import { FileCheck } from './validation/file-check.js';
import { fetchFileDigest } from './validation/checksum-file.js';
import type { TunnelCredential } from './transfer/http/proxy.js';
import type {
  CheckpointPolicy,
  ConnectionLease,
  FileTransferRequest,
  SegmentationOptions,
  TransferLimits,
  TransferStart,
} from './transfer/types.js';

/** How one attempt at a job's files ended. */
export type AttemptOutcome =
  | { readonly kind: 'transferred' }
  | { readonly kind: 'failed'; readonly error: FerryError }
  | { readonly kind: 'aborted' };

/**
 * What an attempt needs from the engine: transfer settings read live, and hooks that record
 * every change (attempt-host.ts builds it).
 */
export interface AttemptHost {
  readonly checkpoint: CheckpointPolicy;
  readonly limits: TransferLimits;
  userAgent(): string;
  /** `pinned`: fingerprints of certificates the job trusts (its TransferPolicy). */
  connectionFor(
    url: URL,
    proxy: ProxySettings,
    pinned?: readonly string[],
    tunnelCredential?: TunnelCredential | null,
  ): ConnectionLease;
  /** How many files of one job are fetched at once (read before each file starts). */
  concurrentFiles(): number;
  /** How a file of this job may be split over connections (read live). */
  segmentation(job: JobRecord): SegmentationOptions;
  /** The job's speed limits for this attempt; released when the attempt ends. */
  bandwidth(job: JobRecord): JobBandwidth;
  /** A response was accepted for a file (the connection succeeded). */
  onStart(job: JobRecord, file: FileRecord, start: TransferStart): void;
  /** Bytes arrived (live, not durable). */
  onLiveProgress(job: JobRecord, file: FileRecord): void;
  /**
   * Bytes were written to disk (and synced when `durable`): record them (`segments` for a
   * segmented file).
   */
  onCheckpoint(
    job: JobRecord,
    file: FileRecord,
    bytesOnDisk: number,
    segments: readonly ByteSpan[] | undefined,
    durable: boolean,
  ): void;
  /**
   * Files whose every byte is flushed to disk: record them as transferred, in one write, then
   * notify. Batched so that a job of many small files does not pay one commit per file.
   */
  commitTransferred(job: JobRecord, files: readonly FileRecord[]): void;
  /** A file's record changed outside a transfer (e.g. its temporary file was reset). */
  saveFile(job: JobRecord, file: FileRecord): void;
}

/** Transferred files are recorded at most this long after their last byte is on disk… */
const COMMIT_DELAY_MS = 50;
/** …or as soon as this many are waiting. */
const COMMIT_BATCH_FILES = 64;
/** Files whose bytes have all arrived may sync (outside the network slots) up to this many per slot. */
const SYNCING_PER_SLOT = 4;

/**
 * One attempt at a job's files: up to `concurrentFiles()` of them at a time, each into its
 * temporary file.
 *
 * Files added while the attempt runs are picked up, since the next file is looked up afresh
 * each time. The first failure stops the other files (they keep what they flushed) and ends the
 * attempt. Every file is recorded as transferred before the attempt reports `transferred`. The
 * attempt never changes the job's state itself: the run controller does, from the outcome.
 */
export async function runTransferAttempt(
  job: JobRecord,
  signal: AbortSignal,
  host: AttemptHost,
): Promise<AttemptOutcome> {
  const bandwidth = host.bandwidth(job);
  // One per attempt: a challenge answered for one file is reused by the next of its origin.
  const auth = transferAuth(job.credentials);
  const inner = new AbortController();
  // Each running file hangs one listener here (its own signal, below), and the pump bounds how
  // many run: a job of many files is not a leak, so Node's warning at 11 listeners is off.
  setMaxListeners(0, inner.signal);
  const onAbort = (): void => {
    inner.abort(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const pending: FileRecord[] = [];
  let commitTimer: NodeJS.Timeout | undefined;
  const commit = (): void => {
    if (commitTimer !== undefined) clearTimeout(commitTimer);
    commitTimer = undefined;
    if (pending.length === 0) return;
    host.commitTransferred(
      job,
      pending.splice(0).sort((a, b) => a.index - b.index),
    );
  };
  let failure: FerryError | undefined;
  try {
    const running = new Set<FileRecord>();
    // Files still on the network: `concurrentFiles()` bounds these. A file whose bytes have all
    // arrived leaves this set while its final sync runs, so small files do not hold a
    // connection idle through an fdatasync each (up to SYNCING_PER_SLOT × as many syncing).
    const receiving = new Set<FileRecord>();
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (failure === undefined && !inner.signal.aborted) {
          const slots = Math.max(1, host.concurrentFiles());
          if (receiving.size >= slots || running.size >= slots * SYNCING_PER_SLOT) break;
          const file = job.files.find((f) => !f.transferred && !running.has(f));
          if (file === undefined) break;
          running.add(file);
          receiving.add(file);
          const received = (): void => {
            if (receiving.delete(file)) pump();
          };
          // The file's own signal: whatever the transfer hangs on it goes away with the file,
          // instead of piling up on the job's signal.
          const fileAbort = new AbortController();
          const onJobAbort = (): void => {
            fileAbort.abort(inner.signal.reason);
          };
          inner.signal.addEventListener('abort', onJobAbort, { once: true });
          runFile(job, file, fileAbort.signal, host, bandwidth, received, auth)
            .then(
              () => {
                pending.push(file);
                if (pending.length >= COMMIT_BATCH_FILES) commit();
                else commitTimer ??= setTimeout(commit, COMMIT_DELAY_MS);
              },
              (error: unknown) => {
                if (failure !== undefined || signal.aborted) return;
                failure = asFerryError(error).withFileIndex(file.index);
                inner.abort(failure);
              },
            )
            .finally(() => {
              inner.signal.removeEventListener('abort', onJobAbort);
              running.delete(file);
              receiving.delete(file);
              pump();
            });
        }
        if (running.size === 0) resolve();
      };
      pump();
    });
  } finally {
    commit();
    bandwidth.release();
    signal.removeEventListener('abort', onAbort);
  }
  if (isAborted(signal)) return { kind: 'aborted' };
  if (failure !== undefined) return { kind: 'failed', error: failure };
  return { kind: 'transferred' };
}

/**
 * Fetches one file; resolves when every byte is on disk (the record follows in a batch).
 * `onReceived` runs once every byte has arrived, before the final sync.
 */
async function runFile(
  job: JobRecord,
  file: FileRecord,
  signal: AbortSignal,
  host: AttemptHost,
  bandwidth: JobBandwidth,
  onReceived: () => void,
  auth: TransferAuth,
): Promise<void> {
  const check = new FileCheck(file);
  try {
    await prepareTempFile(job, file, host);
    const request: FileTransferRequest = {
      remoteUrl: file.remoteName,
      tempPath: file.tempName,
      offset: file.bytesOnDisk,
      totalBytes: file.bytesTotal,
      validator: file.validator,
      headers: job.customHeaders,
      userAgent: host.userAgent(),
      connectionFor: (url) =>
        host.connectionFor(
          url,
          job.proxy,
          job.transferPolicy.trustedCertificates,
          job.credentials.find((c) => c.target === 'PROXY' && c.scheme === 'BASIC') ?? null,
        ),
      signal,
      checkpoint: host.checkpoint,
      limits: host.limits,
      segments: file.segments,
      segmentation: host.segmentation(job),
      throttle: bandwidth,
      auth,
      contentHash: check.tap,
    };
    await check.prepare((url) => fetchFileDigest(url, file.remoteName, request, file.index));
    const result = await runTransfer(request, {
      onStart: (start) => {
        check.started(start);
        host.onStart(job, file, start);
      },
      onProgress: (bytes) => {
        file.bytesLive = bytes;
        host.onLiveProgress(job, file);
      },
      onCheckpoint: (bytes, segments, durable) => {
        host.onCheckpoint(job, file, bytes, segments, durable);
      },
      onReceived,
    });
    // Validation before Complete: a file whose content is not what its digest says never
    // counts as transferred (the job goes to ERROR; docs/validation.md).
    await check.verify(result.totalBytes, signal, () => {
      host.saveFile(job, file);
    });
    file.bytesTotal = result.totalBytes;
    file.bytesOnDisk = result.totalBytes;
    file.bytesDurable = result.totalBytes;
    file.bytesLive = result.totalBytes;
    file.segments = null;
    file.segmentsDurable = null;
    file.validator = result.validator;
    file.transferred = true;
  } catch (error) {
    file.bytesLive = file.bytesOnDisk;
    // Nothing recorded, nothing kept: the transfer has closed the file, and without this a
    // job in ERROR kept an empty hidden .ferry-part in the destination until cancelled.
    if (file.bytesOnDisk === 0) await removeTempFile(file.tempName);
    throw error;
  }
}

/**
 * Makes the temporary file agree with the record before a transfer resumes it.
 *
 * Only recorded bytes are trusted: a longer file (bytes written after the last checkpoint, then
 * a crash) is truncated to the record; a shorter or missing one lowers the record to what is
 * there. Either way the record never claims a byte the disk does not hold. A segmented file
 * keeps its full (sparse) size: its record names the ranges to trust, and a file too short to
 * hold them all starts over.
 */
async function prepareTempFile(job: JobRecord, file: FileRecord, host: AttemptHost): Promise<void> {
  // Asynchronous: creating a file waits on the filesystem journal, which the fdatasyncs of
  // other files keep busy; done synchronously it stalled every transfer of the engine (a job
  // of 2,000 small files spent 1.7 s of its event loop here).
  const size = await tempFileSize(file.tempName);
  const recordedEnd = file.segments === null ? file.bytesOnDisk : (file.segments.at(-1)?.[1] ?? 0);
  if (size === undefined) {
    // Not created here: the transfer creates it when it opens it for the first response.
    if (file.bytesOnDisk !== 0 || file.segments !== null) {
      resetWatermarks(file);
      host.saveFile(job, file);
    }
  } else if (file.segments !== null) {
    if (size < recordedEnd) {
      // Record first, then the file: a crash in between loses nothing still trusted.
      resetWatermarks(file);
      host.saveFile(job, file);
      await setTempFileLength(file.tempName, 0);
    }
  } else if (size > file.bytesOnDisk) {
    await setTempFileLength(file.tempName, file.bytesOnDisk);
  } else if (size < file.bytesOnDisk) {
    lowerWatermarks(file, size);
    host.saveFile(job, file);
  }
  file.bytesLive = file.bytesOnDisk;
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
