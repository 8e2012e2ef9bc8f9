import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { readTestFileRange } from './test-file.js';
import type { TestFile } from './test-file.js';

/**
 * The body faults of the test server (tests/support/http-server.ts): which ones a response
 * gets, and the sender that applies them. The options themselves are documented on TestFile.
 */

/** How many responses of one file each counted fault has hit so far. */
export interface FaultCounts {
  drops: number;
  stalls: number;
  resets: number;
}

/** Fresh counters (a file just set, or the server reset). */
export function noFaultsYet(): FaultCounts {
  return { drops: 0, stalls: 0, resets: 0 };
}

/** What happens to one response's body, in body bytes from its start (null: never). */
export interface BodyFaults {
  /** Close the connection (FIN) after this many bytes. */
  readonly dropAt: number | null;
  /** Stop sending after this many bytes, keeping the connection open. */
  readonly stallAt: number | null;
  /** Reset the connection (RST) after this many bytes. */
  readonly resetAt: number | null;
  /** After the whole body, keep the connection open instead of ending the response. */
  readonly holdOpen: boolean;
}

/**
 * The faults of one response of `length` body bytes (`ranged`: it answers a Range), counting
 * those limited to a number of responses.
 */
export function bodyFaults(
  file: TestFile,
  counts: FaultCounts,
  length: number,
  ranged: boolean,
): BodyFaults {
  const times = (limit: number | undefined): number => limit ?? Number.POSITIVE_INFINITY;
  let dropAt: number | null = null;
  if (
    file.dropAfterBytes !== undefined &&
    file.dropAfterBytes < length &&
    counts.drops < times(file.dropAfterBytesTimes)
  ) {
    counts.drops += 1;
    dropAt = file.dropAfterBytes;
  }
  let stallAt: number | null = null;
  if (
    file.stallAfterBytes !== undefined &&
    file.stallAfterBytes < length &&
    counts.stalls < times(file.stallAfterBytesTimes)
  ) {
    counts.stalls += 1;
    stallAt = file.stallAfterBytes;
  } else if (file.stallRangesAfterBytes !== undefined && ranged) {
    stallAt = file.stallRangesAfterBytes;
  }
  let resetAt: number | null = null;
  if (
    file.resetAfterBytes !== undefined &&
    file.resetAfterBytes < length &&
    counts.resets < times(file.resetAfterBytesTimes)
  ) {
    counts.resets += 1;
    resetAt = file.resetAfterBytes;
  }
  const holdOpen = file.lieLength !== undefined && file.lieThenStall === true;
  return { dropAt, stallAt, resetAt, holdOpen };
}

/** The part of a request's log entry the sender keeps up to date. */
export interface BodyLog {
  bytesSent: number;
  cut: boolean;
}

/** Body chunk size when not throttled: large enough to be fast, small enough to stop early. */
const FAST_CHUNK = 64 * 1024;

/**
 * Send `[start, end)` of the file, throttled, honouring backpressure and the body's faults.
 *
 * The throttle paces by elapsed time against bytes sent (so timer lateness does not
 * accumulate) in chunks of about 1/20 s of data (1 to 16 KiB), which keeps the rate accurate
 * for small files too.
 */
export async function sendBody(
  res: ServerResponse,
  entry: BodyLog,
  file: TestFile,
  start: number,
  end: number,
  faults: BodyFaults,
  signal: AbortSignal,
): Promise<void> {
  const { dropAt, stallAt, resetAt, holdOpen } = faults;
  const rate = file.throttleBytesPerSec;
  const throttled = rate !== undefined && rate > 0;
  const burstMs = file.throttleBurstMs ?? 50;
  const chunkSize = throttled
    ? file.throttleBurstMs === undefined
      ? Math.max(1024, Math.min(16 * 1024, Math.floor(rate / 20)))
      : Math.max(1024, Math.floor((rate * burstMs) / 1000))
    : FAST_CHUNK;
  const began = performance.now();
  let sent = 0;
  for (;;) {
    if (signal.aborted || res.destroyed) {
      entry.cut = true;
      return;
    }
    if (dropAt !== null && sent >= dropAt) {
      entry.cut = true;
      // end() rather than destroy(): the bytes already written still reach the client, then
      // it sees the connection close mid-body, which makes the truncation point exact.
      res.flushHeaders();
      res.socket?.end();
      return;
    }
    if (resetAt !== null && sent >= resetAt) {
      entry.cut = true;
      res.socket?.resetAndDestroy();
      return;
    }
    if (stallAt !== null && sent >= stallAt) {
      entry.cut = true;
      // Hold the connection open, sending nothing, until the client gives up on it.
      res.flushHeaders();
      await untilAborted(signal);
      return;
    }
    const pos = start + sent;
    if (pos >= end) break;
    let size = Math.min(chunkSize, end - pos);
    for (const at of [stallAt, dropAt, resetAt]) {
      if (at !== null) size = Math.min(size, at - sent);
    }
    const flowing = res.write(readTestFileRange(file, pos, pos + size));
    sent += size;
    entry.bytesSent += size;
    if (!flowing) await drained(res, signal);
    if (throttled) await sleep(began + (sent / rate) * 1000 - performance.now(), signal);
  }
  if (holdOpen) {
    // Everything is written, but the connection stays open, silent, until the client leaves.
    await untilAborted(signal);
    return;
  }
  res.end();
}

/** Resolve after `ms`, or as soon as `signal` aborts; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolve once `signal` aborts (the client went away); never rejects. */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else {
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
    }
  });
}

/** Resolve on the response's next 'drain', or when the client goes away. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
