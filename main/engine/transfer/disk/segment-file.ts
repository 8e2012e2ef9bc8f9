import { localFileError } from '../map-error.js';
import { SyncCadence } from './sync-cadence.js';
import type { TempFile } from './temp-file.js';
import { RangeSet } from '../range-set.js';
import type { ByteSpan } from '../range-set.js';
import type { CheckpointPolicy } from '../types.js';
import { writeAll } from './positioned-write.js';
import { CheckpointLoop } from './checkpoint-loop.js';

/** Received bytes are coalesced into positioned writes of about this size. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Stay well under IOV_MAX (1024) for one writev. */
const WRITE_BATCH_BUFFERS = 256;
/** Above this many bytes of one connection handed to the disk but not written, it waits. */
const MAX_QUEUED_BYTES = 4 * WRITE_BATCH_BYTES;
/** Live progress is reported at most this often. */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Longest time between checkpoints of a segmented file, whatever the policy says: N connections
 * make its record go stale N times as fast as one, and what is unrecorded at a crash is fetched
 * again. A checkpoint only syncs on the policy's long cadence, so a short interval costs little.
 */
const MAX_INTERVAL_MS = 100;

/** Where a segmented file reports to; both are synchronous. */
export interface SegmentFileEvents {
  /** Bytes of the file received so far, written or not (live progress). */
  onProgress(bytesInFile: number): void;
  /**
   * These ranges are written (every write returned) and may be recorded; `durable` when they
   * were datasynced first.
   */
  onCheckpoint(spans: readonly ByteSpan[], bytes: number, durable: boolean): void;
}

/**
 * One temporary file written by several connections at once, with a crash-safe record.
 *
 * The file is preallocated (sparse) to its full size and every connection writes at explicit
 * positions through its own SegmentStream. A write that completes adds its range to `written`;
 * a checkpoint snapshots `written`, datasyncs when the sync cadence asks (always for the final
 * one), then reports the snapshot (data first, then the record). Checkpoints run beside the
 * writes, never in front of them, and one at a time: the hot path never waits for a sync.
 */
export class SegmentFile {
  private readonly written: RangeSet;
  private received: number;
  private sinceCheckpoint = 0;
  private lastCheckpointAt = Date.now();
  private readonly cadence: SyncCadence;
  private lastProgressAt = 0;
  private readonly syncs = new CheckpointLoop(
    () => this.checkpointOnce(),
    () => !this.stopped(),
  );
  private failure: { error: unknown } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Streams writing now; a checkpoint writes out what they hold first. */
  private readonly openStreams = new Set<SegmentStream>();

  /** Path of the temporary file, for error messages. */
  readonly path: string;

  private constructor(
    private readonly file: TempFile,
    done: readonly ByteSpan[],
    private readonly policy: CheckpointPolicy,
    private readonly events: SegmentFileEvents,
  ) {
    this.path = file.path;
    this.cadence = new SyncCadence(policy.syncIntervalMs);
    this.written = new RangeSet(done);
    this.received = this.written.size;
  }

  /**
   * Takes the open temporary file (closed by `close`) and extends it to `total` bytes.
   *
   * Extending with ftruncate leaves a sparse file: no bytes are written for the holes, and the
   * recorded ranges (`done`) keep their content.
   */
  static async open(
    file: TempFile,
    total: number,
    done: readonly ByteSpan[],
    policy: CheckpointPolicy,
    events: SegmentFileEvents,
  ): Promise<SegmentFile> {
    if (file.initialSize !== total) await file.setLength(total);
    return new SegmentFile(file, done, policy, events);
  }

  /** A writer for one connection, starting at `position`. */
  stream(position: number): SegmentStream {
    const stream = new SegmentStream(this, position, () => {
      this.openStreams.delete(stream);
    });
    this.openStreams.add(stream);
    return stream;
  }

  /** Connections writing now; the checkpoint byte window scales with it. */
  get streams(): number {
    return this.openStreams.size;
  }

  private get intervalMs(): number {
    return Math.min(this.policy.intervalMs, MAX_INTERVAL_MS);
  }

  /** Bytes of the file received so far (recorded at the start plus every chunk pushed since). */
  get bytesReceived(): number {
    return this.received;
  }

  /** The ranges written so far (not necessarily synced). */
  writtenSpans(): [number, number][] {
    return this.written.toArray();
  }

  /** Bytes [position, position + length) as on disk (see TempFile.read). */
  read(position: number, length: number): Promise<Buffer> {
    return this.file.read(position, length);
  }

  /** Throws the first write or sync failure, if any happened. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** @internal Called by streams for every chunk received. */
  noteReceived(bytes: number): void {
    this.received += bytes;
    this.sinceCheckpoint += bytes;
    const now = Date.now();
    if (now - this.lastProgressAt >= PROGRESS_INTERVAL_MS) {
      this.lastProgressAt = now;
      this.events.onProgress(this.received);
    }
    if (
      this.sinceCheckpoint >= this.policy.bytes * Math.max(1, this.streams) ||
      now - this.lastCheckpointAt >= this.intervalMs
    ) {
      this.requestSync();
    } else {
      this.armTimer();
    }
  }

  /** @internal Positioned write of one batch; its range counts as written once it returns. */
  async write(buffers: readonly Buffer[], position: number, bytes: number): Promise<void> {
    try {
      await writeAll(this.file.handle, buffers, position);
    } catch (error) {
      const mapped = localFileError(error, this.path);
      this.failure ??= { error: mapped };
      throw mapped;
    }
    this.written.add(position, position + bytes);
  }

  /**
   * Reports everything written so far, datasynced first unless `durable` is false (a transfer
   * that failed or stopped); throws a write or sync failure.
   *
   * Call after every stream has been `flush`ed, so that the report covers all bytes received.
   */
  async checkpoint(durable = true): Promise<void> {
    this.clearTimer();
    await this.syncs.idle();
    this.throwIfFailed();
    this.sinceCheckpoint = 0;
    this.cadence.demand(durable);
    await this.checkpointOnce();
    this.throwIfFailed();
  }

  /** Waits for a checkpoint in flight and closes the file; never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    await this.syncs.idle();
    await this.file.close();
  }

  private requestSync(): void {
    this.clearTimer();
    this.sinceCheckpoint = 0;
    this.lastCheckpointAt = Date.now();
    this.syncs.request();
  }

  private async checkpointOnce(): Promise<void> {
    if (this.stopped()) return;
    // Bytes still batched in memory are not on disk: write them out first, so the record is
    // not a whole batch per connection behind what was received.
    await Promise.all([...this.openStreams].map((stream) => stream.writeOut()));
    if (this.stopped()) return;
    const snapshot = this.written.toArray();
    const durable = this.cadence.due();
    if (durable) {
      try {
        await this.file.datasync();
      } catch (error) {
        this.failure ??= { error };
        return;
      }
      this.cadence.synced();
    }
    this.lastCheckpointAt = Date.now();
    this.events.onCheckpoint(
      snapshot,
      snapshot.reduce((sum, [start, end]) => sum + end - start, 0),
      durable,
    );
  }

  /** Closed or failed: no more syncs. */
  private stopped(): boolean {
    return this.closed || this.failure !== undefined;
  }

  private armTimer(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastCheckpointAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed && this.sinceCheckpoint > 0) this.requestSync();
    }, wait);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * One connection's writer into a SegmentFile: batches its chunks and writes them in order at
 * its position, one write at a time.
 */
export class SegmentStream {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private queuedBytes = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  /** Position of the next queued write. */
  private queuedEnd: number;
  /** Position of the next byte this stream will receive. */
  position: number;

  constructor(
    private readonly file: SegmentFile,
    start: number,
    private readonly onEnd: () => void,
  ) {
    this.position = start;
    this.queuedEnd = start;
  }

  /** Takes one chunk (kept until written); returns a promise when the caller should wait. */
  push(chunk: Buffer): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure.error;
    if (chunk.length === 0) return undefined;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.position += chunk.length;
    this.file.noteReceived(chunk.length);
    if (this.pendingBytes >= WRITE_BATCH_BYTES || this.pending.length >= WRITE_BATCH_BUFFERS) {
      this.queuePending();
    }
    if (this.queuedBytes >= MAX_QUEUED_BYTES) {
      return this.tail.then(() => {
        if (this.failure !== undefined) throw this.failure.error;
      });
    }
    return undefined;
  }

  /** Writes what is pending and waits for every write of this stream; throws a write failure. */
  async flush(): Promise<void> {
    this.queuePending();
    await this.tail;
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** Writes what is pending and waits for it; never throws (a failure stays on the file). */
  async writeOut(): Promise<void> {
    this.queuePending();
    await this.tail;
  }

  /** Flushes and detaches from the file; never throws (a failure stays on the file). */
  async end(): Promise<void> {
    await this.flush().catch(() => undefined);
    this.onEnd();
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
    this.tail = this.tail.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await this.file.write(buffers, position, bytes);
      } catch (error) {
        this.failure = { error };
      }
      this.queuedBytes -= bytes;
    });
  }
}
