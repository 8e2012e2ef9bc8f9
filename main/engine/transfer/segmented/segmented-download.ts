import { throttled } from '../speed/bandwidth.js';
import { FerryError } from '../../../../app/index.js';
import { discard } from '../http/http-open.js';
import type { ResponseBody } from '../http/http-open.js';
import {
  bodyStreamError,
  lengthMismatchError,
  noProgressError,
  sourceChangedError,
  stallError,
  transferBugError,
} from '../map-error.js';
import { openSegment } from './segment-open.js';
import type { KnownFile } from './segment-open.js';
import type { SegmentFile } from '../disk/segment-file.js';
import { SegmentPlan } from './segment-plan.js';
import { SlowStart } from './slow-start.js';
import { isFatal } from './segment-connection.js';
import type { Connection, Reading } from './segment-connection.js';
import type { Segment } from './segment-plan.js';
import { validatorsConflict } from '../http/range.js';
import { RangeSet } from '../range-set.js';
import { bodyStartsWith, needsOverlapCheck, overlapStart } from '../http/resume-overlap.js';
import type { ConnectionLease, FileTransferRequest, SegmentationOptions } from '../types.js';

/**
 * How often the download looks at its connections (stalls, slow start, spawning). Slow start
 * doubles at most every other tick: 4 to 16 connections in about 0.2 s, which
 * matters when the whole file takes a second at 16 connections.
 */
const TICK_MS = 50;
/**
 * One request asks for about this long of one connection's throughput. Bounded requests let
 * a connection that finishes steal from the part of a segment nobody has asked for yet, so no
 * response is cut (cutting closes its socket): each connection keeps one keep-alive socket.
 */
const REQUEST_MS = 150;
/** Bounds of one request's size. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** A response in flight is only cut (costing its socket) with this many requests' worth left. */
const CUT_REQUESTS = 4;
/** Failed connections in a row (no byte received in between) before the file fails. */
const MAX_FAILURES_IN_A_ROW = 4;
/** Most connections to one host for one file (aria2's politeness cap). */
const HARD_MAX_CONNECTIONS = 16;

/**
 * How a segmented download ended without an error: every byte is in, or the server answered a
 * range with the whole file (it ignores ranges) and the connections that were reading could
 * not finish the file alone; the caller then fetches the file again over one connection.
 */
export type SegmentedOutcome = 'complete' | 'ranges-ignored';

/**
 * Fetches the missing ranges of one file over several connections into a SegmentFile.
 *
 * Starts from one response already open (the first connection) and adds connections while
 * throughput grows (slow start), up to the file's connection limit. A connection that finishes
 * takes half of the largest remaining segment; one that stalls for the stall timeout is cut and
 * its range goes back to be handed out again. A 429 or 503 lowers the connection cap for this
 * file; a 200 to a ranged request means the server ignores ranges, so no further connection is
 * opened. Resolves once every byte is written and checkpointed; rejects with a FerryError
 * (FILE_SOURCE_CHANGED when the file changed under it) after saving what arrived.
 */
export class SegmentedDownload {
  private readonly plan: SegmentPlan;
  private readonly connections = new Set<Connection>();
  private readonly controller = new AbortController();
  private readonly idle: Promise<void>;
  private wake: () => void = () => undefined;
  private slowStart = new SlowStart(1);
  private cap = HARD_MAX_CONNECTIONS;
  private rangesIgnored = false;
  private lastMax = 1;
  private lastBytes: number;
  private lastTick = performance.now();
  /** Whether a ranged request has been answered yet (a range, or the whole file). */
  private rangesSettled = false;
  private settleRangesVerdict: () => void = () => undefined;
  private readonly rangesVerdict = new Promise<void>((resolve) => {
    this.settleRangesVerdict = resolve;
  });
  /** When a byte of the file last arrived (on any connection). */
  private lastProgressAt = performance.now();
  /** Throughput of one connection lately (bytes per second); 0 before the first tick. */
  private perConnectionRate = 0;
  private failuresInARow = 0;
  private fatal: { error: unknown } | undefined;
  private lastError: FerryError | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Ranged requests sent (for tests and diagnostics). */
  requests = 0;
  /**
   * Gaps of a resumed file without a validator whose first request must re-read the bytes
   * before them (see http/resume-overlap.ts): gap start → where its overlap starts.
   */
  private readonly overlaps = new Map<number, number>();

  constructor(
    private readonly req: FileTransferRequest,
    private readonly options: SegmentationOptions,
    private readonly file: SegmentFile,
    private readonly known: KnownFile,
    gaps: readonly (readonly [number, number])[],
  ) {
    this.plan = new SegmentPlan(gaps, options.minSegmentSize);
    if (needsOverlapCheck(req.validator)) {
      const done = new RangeSet(file.writtenSpans());
      for (const [start] of gaps) {
        const from = overlapStart(done, start);
        if (from < start) this.overlaps.set(start, from);
      }
    }
    this.lastBytes = file.bytesReceived;
    this.idle = new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /**
   * Runs to the end, starting with `first`: a response whose bytes run from `start` to
   * `responseEnd`, of which [start, end) is missing (the rest of it may be on disk already).
   */
  async run(first: {
    body: ResponseBody;
    start: number;
    end: number;
    responseEnd: number;
    lease: ConnectionLease;
  }): Promise<SegmentedOutcome> {
    const onAbort = (): void => {
      this.abortAll(this.req.signal.reason);
    };
    this.req.signal.addEventListener('abort', onAbort, { once: true });
    // The first response's overlap was checked before it got here.
    this.overlaps.delete(first.start);
    const segment = this.plan.hold(first.start, first.end);
    this.lastMax = this.maxConnections();
    // One probe first: a server that ignores ranges answers it with a full body.
    this.slowStart = new SlowStart(Math.min(2, this.maxConnections()));
    this.startConnection(
      { body: first.body, segment, responseEnd: first.responseEnd },
      undefined,
      first.lease,
    );
    this.timer = setInterval(() => {
      this.tick();
    }, TICK_MS);
    this.timer.unref();
    this.spawn();
    try {
      await this.idle;
    } finally {
      clearInterval(this.timer);
      this.req.signal.removeEventListener('abort', onAbort);
    }
    if (this.req.signal.aborted) throw this.req.signal.reason;
    if (this.fatal !== undefined) throw this.fatal.error;
    if (this.plan.remaining() > 0) {
      if (this.rangesIgnored) return 'ranges-ignored';
      throw this.lastError ?? transferBugError('Segmented transfer ended with bytes missing');
    }
    return 'complete';
  }

  private maxConnections(): number {
    if (this.rangesIgnored) return 1;
    const wanted = Math.max(1, Math.min(HARD_MAX_CONNECTIONS, this.options.connections()));
    return Math.min(wanted, this.cap);
  }

  /** Connections this file should have now: slow start's target within the maximum. */
  private connectionLimit(): number {
    return this.slowStart.target(this.maxConnections());
  }

  /** Opens connections up to the current target while there is work for them. */
  private spawn(): void {
    // Once the server has answered a range with the whole file, no request is sent again: the
    // connections there finish what they read (see SegmentedOutcome).
    if (this.fatal !== undefined || this.controller.signal.aborted || this.rangesIgnored) {
      this.checkIdle();
      return;
    }
    const limit = this.connectionLimit();
    while (this.connections.size < limit && this.plan.hasWork(this.cutAbove())) {
      const segment = this.plan.take(this.cutAbove());
      if (segment === null) break;
      this.startConnection(null, segment);
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.connections.size > 0) return;
    if (
      this.fatal !== undefined ||
      this.controller.signal.aborted ||
      this.plan.remaining() === 0 ||
      this.rangesIgnored ||
      this.failuresInARow >= MAX_FAILURES_IN_A_ROW
    ) {
      this.wake();
    }
  }

  private startConnection(
    reading: Reading | null,
    segment?: Segment,
    lease: ConnectionLease | null = null,
  ): void {
    const connection: Connection = {
      controller: new AbortController(),
      segment: reading?.segment ?? segment ?? null,
      lastByteAt: performance.now(),
      stalled: false,
      lease,
      clean: reading === null,
    };
    this.connections.add(connection);
    void this.work(connection, reading).finally(() => {
      this.connections.delete(connection);
      // Its socket goes with it: the host sees one socket per live connection.
      connection.lease?.release(connection.clean);
      connection.lease = null;
      this.spawnSoon();
    });
  }

  private spawnSoon(): void {
    if (this.failuresInARow === 0) this.spawn();
    else this.checkIdle();
  }

  /** Bytes of one request: about REQUEST_MS of one connection, no more than its share left. */
  private requestBytes(): number {
    const min = this.options.minSegmentSize;
    const byRate = this.perConnectionRate > 0 ? (this.perConnectionRate * REQUEST_MS) / 1000 : 0;
    const share = this.plan.remaining() / Math.max(1, 2 * this.maxConnections());
    const bytes = Math.max(min, Math.min(MAX_REQUEST_BYTES, Math.max(2 * min, byRate), share));
    return Math.floor(bytes);
  }

  /** A response in flight with fewer bytes than this left is never cut by a steal. */
  private cutAbove(): number {
    return CUT_REQUESTS * this.requestBytes();
  }

  /**
   * One connection's life: fetch its segment one bounded request after another on one
   * keep-alive socket, then steal more until there is none.
   */
  private async work(connection: Connection, first: Reading | null): Promise<void> {
    let reading = first;
    const signal = AbortSignal.any([this.controller.signal, connection.controller.signal]);
    for (;;) {
      const segment = reading?.segment ?? connection.segment ?? this.plan.take(this.cutAbove());
      if (segment === null) return;
      connection.segment = segment;
      connection.lastByteAt = performance.now();
      try {
        do {
          if (reading === null) reading = await this.open(connection, segment, signal);
          if (reading === null) {
            this.plan.release(segment);
            connection.segment = null;
            // Given back first: a response waiting on the verdict reads on over it.
            this.settleRanges();
            return;
          }
          await this.receive(connection, reading, signal);
          // Read to its end (a cut drops the socket): it can carry the next request, or the
          // next file of this host once the connection ends.
          connection.clean = true;
          reading = null;
        } while (
          segment.pos < segment.end &&
          this.fatal === undefined &&
          !this.controller.signal.aborted &&
          // Over the cap (a 429/503, a lower setting, a ramp step undone): hand the rest back
          // between requests.
          this.connections.size <= this.connectionLimit()
        );
        this.plan.release(segment);
        connection.segment = null;
        reading = null;
      } catch (error) {
        this.plan.release(segment);
        connection.segment = null;
        dropSocket(connection);
        if (reading !== null && !reading.body.destroyed) reading.body.destroy();
        this.failed(connection, error);
        return;
      }
      if (this.fatal !== undefined || this.controller.signal.aborted) return;
      if (this.connections.size > this.connectionLimit()) {
        // Leave at once, so that the others still see how many remain, and close the socket:
        // the host sees the lowered limit, not idle connections over it.
        this.connections.delete(connection);
        dropSocket(connection);
        return;
      }
    }
  }

  /** Sends the ranged request for the next part of `segment`; null when ranges are ignored. */
  private async open(
    connection: Connection,
    segment: Segment,
    signal: AbortSignal,
  ): Promise<Reading | null> {
    this.requests++;
    const end = Math.min(segment.end, segment.pos + this.requestBytes());
    // Set before the request goes out: a steal from now on splits after this response.
    segment.requested = end;
    connection.lease ??= this.req.connectionFor(this.known.url);
    connection.clean = false;
    const overlap = this.overlaps.get(segment.pos);
    const from = overlap ?? segment.pos;
    const res = await openSegment(this.req, this.known, from, end, signal, connection.lease);
    if (res.kind === 'range') {
      if (overlap !== undefined) {
        await this.skipOverlap(connection, res.body, overlap, segment.pos, end);
      }
      this.settleRanges();
      if (this.slowStart.rangesWork(this.maxConnections())) {
        queueMicrotask(() => {
          this.spawn();
        });
      }
      return { body: res.body, segment, responseEnd: end };
    }
    connection.clean = await discard(res.body);
    if (
      validatorsConflict(this.known.validator, res.validator) ||
      (res.totalBytes !== null && res.totalBytes !== this.known.totalBytes)
    ) {
      throw sourceChangedError(this.known.url, 'a full body of a different file');
    }
    this.rangesIgnored = true;
    return null;
  }

  /**
   * Compares the overlap a resumed gap's first response starts with (`[from, pos)`, already
   * on disk) with the disk, leaving the body at `pos`; a difference means the file changed.
   */
  private async skipOverlap(
    connection: Connection,
    body: ResponseBody,
    from: number,
    pos: number,
    end: number,
  ): Promise<void> {
    let same: boolean;
    try {
      const onDisk = await this.file.read(from, pos - from);
      same = onDisk.length === pos - from && (await bodyStartsWith(body, onDisk));
    } catch (error) {
      dropSocket(connection);
      body.destroy();
      throw bodyStreamError(error, this.known.url, { received: 0, expected: end - from });
    }
    if (!same) {
      // Its socket first (see dropSocket), then the response.
      dropSocket(connection);
      body.destroy();
      throw sourceChangedError(
        this.known.url,
        `no validator, and the ${pos - from} bytes before byte ${pos} differ from those on disk`,
      );
    }
    this.overlaps.delete(pos);
  }

  /** Streams one response into the file until its segment is full (or stolen from). */
  private async receive(
    connection: Connection,
    reading: Reading,
    signal: AbortSignal,
  ): Promise<void> {
    const { segment, body, responseEnd } = reading;
    const stream = this.file.stream(segment.pos);
    const throttle = this.req.throttle;
    const startedAt = segment.pos;
    let failure: { error: unknown } | undefined;
    try {
      let cut = false;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        let rest = chunk;
        while (rest.length > 0) {
          // The segment is full but the response runs on: grow it over a given-back range
          // right after it, else cut. Bytes past the segment are never dropped while reading
          // on: dropping some and then growing would shift every later byte of the response.
          if (segment.pos >= segment.end && !(await this.readOn(segment, responseEnd))) {
            cut = true;
            break;
          }
          const room = segment.end - segment.pos;
          const data = rest.length > room ? rest.subarray(0, room) : rest;
          rest = rest.subarray(data.length);
          segment.pos += data.length;
          connection.lastByteAt = performance.now();
          this.failuresInARow = 0;
          const wait =
            throttle === undefined
              ? stream.push(data)
              : throttled(throttle, data, signal, (slice) => stream.push(slice));
          if (wait !== undefined) await wait;
        }
        // Stolen from at a chunk's end: the same question before the next chunk is waited for.
        if (!cut && segment.pos >= segment.end && segment.end < responseEnd) {
          cut = !(await this.readOn(segment, responseEnd));
        }
        if (cut) {
          // Closing its socket first (see dropSocket).
          dropSocket(connection);
          break;
        }
      }
    } catch (error) {
      failure = { error };
    } finally {
      await stream.end();
    }
    this.file.throwIfFailed();
    if (failure !== undefined) {
      if (signal.aborted && !connection.stalled) throw signal.reason;
      if (connection.stalled) throw stallError(this.known.url, this.options.stallTimeoutMs);
      throw bodyStreamError(failure.error, this.known.url, {
        received: segment.pos - startedAt,
        expected: responseEnd - startedAt,
      });
    }
    if (segment.pos < Math.min(segment.end, responseEnd)) {
      throw lengthMismatchError(segment.pos - startedAt, responseEnd - startedAt, this.known.url);
    }
  }

  /**
   * Whether a connection whose segment is full may read on in its response (which runs to
   * `responseEnd`): yes when the segment grows over a range given back right after it. Until a
   * ranged request has been answered, the rest of the response may be all there is to get (a
   * server that ignores ranges gives the range back), so the first answer is waited for.
   */
  private async readOn(segment: Segment, responseEnd: number): Promise<boolean> {
    if (segment.end >= responseEnd) return false;
    if (this.plan.extend(segment, responseEnd)) return true;
    if (this.rangesSettled) return false;
    await this.rangesVerdict;
    return this.plan.extend(segment, responseEnd);
  }

  /** A connection failed: decide whether the file fails or another connection tries. */
  private failed(connection: Connection, error: unknown): void {
    // A failed request is no verdict on ranges, but nothing should wait on it any longer.
    this.settleRanges();
    if (this.controller.signal.aborted) return;
    this.lastError =
      error instanceof FerryError ? error : transferBugError('A connection failed', error);
    if (isFatal(error)) {
      this.fatal ??= { error };
      this.abortAll(error);
      return;
    }
    if (!connection.stalled) this.failuresInARow++;
    const status = error instanceof FerryError ? error.httpStatus : undefined;
    if (status === 429 || status === 503) {
      // The host asks for less: one connection fewer from now on, and no more slow start.
      this.cap = Math.max(1, this.connections.size - 1);
      this.slowStart.backOff();
    }
  }

  /** The first ranged answer is in (or no answer will come): responses may be cut now. */
  private settleRanges(): void {
    this.rangesSettled = true;
    this.settleRangesVerdict();
  }

  /** Stops every connection, closing their sockets before their requests are aborted. */
  private abortAll(reason: unknown): void {
    this.settleRanges();
    for (const connection of this.connections) dropSocket(connection);
    this.controller.abort(reason);
  }

  private tick(): void {
    const now = performance.now();
    if (this.file.bytesReceived > this.lastBytes) this.lastProgressAt = now;
    else if (now - this.lastProgressAt > this.req.limits.bodyIdleTimeoutMs) {
      // Connections that stall one after another are each replaced; the file as a whole
      // still gives up, as one connection does when its body goes idle.
      this.fatal ??= { error: noProgressError(this.known.url, this.req.limits.bodyIdleTimeoutMs) };
      this.abortAll(this.fatal.error);
      return;
    }
    for (const connection of this.connections) {
      if (
        connection.segment !== null &&
        !connection.stalled &&
        now - connection.lastByteAt > this.options.stallTimeoutMs
      ) {
        connection.stalled = true;
        dropSocket(connection);
        connection.controller.abort(stallError(this.known.url, this.options.stallTimeoutMs));
      }
    }
    const bytes = this.file.bytesReceived - this.lastBytes;
    const ms = Math.max(1, now - this.lastTick);
    const rate = (bytes * 1000) / ms;
    this.lastBytes = this.file.bytesReceived;
    this.lastTick = now;
    if (rate > 0) this.perConnectionRate = rate / Math.max(1, this.connections.size);
    this.slowStart.observe(bytes, ms, this.connections.size, this.maxConnections());
    const max = this.maxConnections();
    if (max !== this.lastMax) {
      // The setting or the job's policy changed while running: probe again from here.
      this.lastMax = max;
      this.slowStart.limitChanged(max);
    }
    this.spawn();
  }
}

/**
 * Closes a connection's socket now (a response on it is being cut or abandoned). Done before
 * the response is aborted: an undici client whose response is aborted opens a new socket for
 * nothing (nodejs/undici#5845), one a destroyed client cannot open.
 */
function dropSocket(connection: Connection): void {
  connection.lease?.release(false);
  connection.lease = null;
}
