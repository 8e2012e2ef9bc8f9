import { localFileError, transferBugError } from '../map-error.js';
import { SyncCadence } from './sync-cadence.js';
import { TempFile } from './temp-file.js';
import type { CheckpointPolicy, TransferCallbacks } from '../types.js';
import { writeAll } from './positioned-write.js';
import { CheckpointLoop } from './checkpoint-loop.js';

/** Received bytes are coalesced into writes of about this size (fewer syscalls, no copies). */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Stay well under IOV_MAX (1024) for one writev. */
const WRITE_BATCH_BUFFERS = 256;
/** Above this many bytes handed to the disk but not yet written, the producer waits. */
const MAX_QUEUED_BYTES = 4 * WRITE_BATCH_BYTES;
/** Live progress is reported at most this often. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Writes a transfer's bytes into its temporary file and reports checkpoints.
 *
 * Shared by the HTTP and `file:` transfers so that both keep the same crash-safety rule: data
 * first, then the record. `onCheckpoint(n, _, durable)` is only ever called after the writes of
 * bytes [0, n) returned, and with `durable` only after they were also `datasync`ed (on the
 * policy's long sync cadence, and always at the final checkpoint). Writes are pipelined: `push`
 * takes chunks synchronously, batches them and queues `writev`s at explicit positions on one
 * promise chain; the producer only awaits when the queue is full (`push` then returns a
 * promise), which keeps per-chunk awaits off the fast path. Checkpoints run beside the writes,
 * never in front of them (as SegmentFile's do): one waits for the writes queued before it,
 * then reports only the bytes those writes covered, while later writes go on. One runs at a
 * time.
 */
export class CheckpointedWriter {
  /** Bytes in the file as far as the transfer is concerned (written, queued or pending). */
  private received: number;
  /** Position of the next queued write (bytes before it are queued or written). */
  private queuedEnd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes queued on the chain but not yet written. */
  private queuedBytes = 0;
  /** `received` when the last checkpoint was queued. */
  private checkpointMark: number;
  private lastCheckpointAt = Date.now();
  private readonly cadence: SyncCadence;
  private lastProgressAt = 0;
  private tail: Promise<void> = Promise.resolve();
  /** End of the bytes whose writes have completed (the writes run in order from the start). */
  private writtenEnd: number;
  private readonly syncs = new CheckpointLoop(
    () => this.checkpointOnce(),
    () => !this.failed && this.closing === undefined,
  );
  private failed = false;
  private pushed = false;
  private failure: unknown = undefined;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  /** Path of the temporary file, for error messages. */
  readonly path: string;
  /** Size of the file when it was opened. */
  readonly initialSize: number;

  private constructor(
    private readonly file: TempFile,
    private readonly policy: CheckpointPolicy,
    private readonly cb: Pick<TransferCallbacks, 'onProgress' | 'onCheckpoint'>,
  ) {
    this.path = file.path;
    this.initialSize = file.initialSize;
    this.cadence = new SyncCadence(policy.syncIntervalMs);
    const initialSize = file.initialSize;
    this.received = initialSize;
    this.queuedEnd = initialSize;
    this.writtenEnd = initialSize;
    this.checkpointMark = initialSize;
  }

  /**
   * Opens (or creates) the temporary file for writing at explicit positions; bytes already in
   * it survive (a resume). Failures are LOCAL_FILE FerryErrors.
   */
  static async open(
    path: string,
    policy: CheckpointPolicy,
    cb: Pick<TransferCallbacks, 'onProgress' | 'onCheckpoint'>,
  ): Promise<CheckpointedWriter> {
    return CheckpointedWriter.on(await TempFile.open(path), policy, cb);
  }

  /** Writes into a temporary file already open (closed by `close`). */
  static on(
    file: TempFile,
    policy: CheckpointPolicy,
    cb: Pick<TransferCallbacks, 'onProgress' | 'onCheckpoint'>,
  ): CheckpointedWriter {
    return new CheckpointedWriter(file, policy, cb);
  }

  /** Bytes of the file so far, including bytes received but not yet written. */
  get position(): number {
    return this.received;
  }

  /**
   * Cuts the file to `length` and writes from there.
   *
   * Only before the first `push`. When this shrinks the recorded bytes (a restart), the caller
   * must have reported `onStart({ restarted: true })` first.
   */
  async truncate(length: number): Promise<void> {
    if (this.pushed) {
      throw transferBugError('Cannot truncate a file after data was written');
    }
    await this.tail;
    await this.syncs.idle();
    this.throwIfFailed();
    await this.file.setLength(length);
    this.received = length;
    this.queuedEnd = length;
    this.writtenEnd = length;
    this.checkpointMark = length;
    this.lastCheckpointAt = Date.now();
  }

  /**
   * Takes one chunk (the writer keeps it, do not reuse it); returns a promise when the caller
   * should wait before pushing more.
   *
   * Throws the first write or checkpoint failure once it has happened.
   */
  push(chunk: Buffer): Promise<void> | undefined {
    this.throwIfFailed();
    if (chunk.length === 0) return undefined;
    this.pushed = true;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.received += chunk.length;
    const now = Date.now();
    if (now - this.lastProgressAt >= PROGRESS_INTERVAL_MS) {
      this.lastProgressAt = now;
      this.cb.onProgress(this.received);
    }
    if (
      this.received - this.checkpointMark >= this.policy.bytes ||
      now - this.lastCheckpointAt >= this.policy.intervalMs
    ) {
      this.requestSync();
    } else {
      if (this.pendingBytes >= WRITE_BATCH_BYTES || this.pending.length >= WRITE_BATCH_BUFFERS) {
        this.queuePending();
      }
      this.armTimer();
    }
    if (this.queuedBytes >= MAX_QUEUED_BYTES) {
      return this.tail.then(() => {
        this.throwIfFailed();
      });
    }
    return undefined;
  }

  /**
   * Writes everything received and reports `onCheckpoint(position)`: datasynced first unless
   * `durable` is false (a transfer that failed or was stopped: the same boot resumes from
   * written bytes, and a later run syncs them).
   *
   * Always reports, even when nothing is new, so a transfer can end with its final checkpoint.
   * Throws the first write or sync failure.
   */
  async checkpoint(durable = true): Promise<number> {
    this.clearTimer();
    this.queuePending();
    const target = this.received;
    this.checkpointMark = target;
    this.lastCheckpointAt = Date.now();
    await this.tail;
    await this.syncs.idle();
    this.throwIfFailed();
    this.cadence.demand(durable);
    await this.checkpointOnce();
    this.throwIfFailed();
    return target;
  }

  /**
   * Stops the timer, waits for queued writes and closes the file; never throws.
   *
   * Closing needs no sync for safety: a byte reported durable was synced before its report,
   * and the rest is only trusted again in the same boot.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.clearTimer();
      this.pending = [];
      this.pendingBytes = 0;
      await this.tail;
      await this.syncs.idle();
      await this.file.close();
    })();
    return this.closing;
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failure;
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = error;
    this.clearTimer();
  }

  /** Runs `op` after every write queued so far; the chain itself never rejects. */
  private enqueue(op: () => Promise<void> | void): void {
    this.tail = this.tail.then(async () => {
      if (this.failed || this.closing !== undefined) return;
      try {
        await op();
      } catch (error) {
        this.fail(error);
      }
    });
  }

  private queuePending(): void {
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    const bytes = this.pendingBytes;
    const position = this.queuedEnd;
    this.pending = [];
    this.pendingBytes = 0;
    this.queuedEnd += bytes;
    this.queuedBytes += bytes;
    this.enqueue(async () => {
      try {
        await writeAll(this.file.handle, buffers, position);
      } catch (error) {
        throw localFileError(error, this.path);
      }
      this.queuedBytes -= bytes;
      this.writtenEnd = position + bytes;
    });
  }

  /**
   * Starts a checkpoint beside the writes: everything received so far is queued for writing,
   * and a sync follows once those writes are done. Writes queued later do not wait for it.
   */
  private requestSync(): void {
    this.clearTimer();
    this.queuePending();
    this.checkpointMark = this.received;
    this.lastCheckpointAt = Date.now();
    this.syncs.request(this.tail);
  }

  /**
   * Reports the bytes whose writes had completed when the round began, datasynced first when
   * the sync cadence (or a final checkpoint) asks for it.
   */
  private async checkpointOnce(): Promise<void> {
    if (this.failed) return;
    const covered = this.writtenEnd;
    const durable = this.cadence.due();
    if (durable) {
      try {
        await this.file.datasync();
      } catch (error) {
        this.fail(error);
        return;
      }
      this.cadence.synced();
    }
    this.cb.onCheckpoint(covered, undefined, durable);
  }

  /** A checkpoint after `intervalMs` even when no further chunk arrives (slow or stalled body). */
  private armTimer(): void {
    if (this.timer !== undefined || this.received === this.checkpointMark) return;
    const wait = Math.max(0, this.lastCheckpointAt + this.policy.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.received > this.checkpointMark && !this.failed && this.closing === undefined) {
        this.requestSync();
      }
    }, wait);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
