import type { Readable } from 'node:stream';
import { ifRangeValue } from './range.js';
import type { RangeSet } from '../range-set.js';
import type { RemoteValidator } from '../types.js';

/**
 * The resume check for a file whose server gave no validator to send as If-Range.
 *
 * With an ETag or a Last-Modified the server itself tells whether the file is still the one
 * on disk (If-Range); without one only the size (Content-Range total) is compared, and a file
 * changed in place at the same size would be resumed into a mix of two files. So such a resume
 * asks for up to RESUME_OVERLAP_BYTES before the first missing byte as well, and compares them
 * with the bytes on disk: equal, the resume goes on from the missing byte; different, the file
 * starts over. See docs/architecture.md, "Resuming a file".
 */

/** Bytes re-read before a resume point when the file has no validator (at least 64 KiB). */
export const RESUME_OVERLAP_BYTES = 64 * 1024;

/** Whether a resume of a file with this recorded validator needs the overlap check. */
export function needsOverlapCheck(validator: RemoteValidator | null): boolean {
  return ifRangeValue(validator) === null;
}

/**
 * Where the overlap before `from` starts: RESUME_OVERLAP_BYTES back, within the range on disk
 * that ends at `from` (the whole range when it is shorter). `from` itself when no byte before
 * it is on disk.
 */
export function overlapStart(done: RangeSet, from: number): number {
  for (const [start, end] of done.toArray()) {
    if (end === from) return Math.max(start, from - RESUME_OVERLAP_BYTES);
  }
  return from;
}

/**
 * Reads the first `expected.length` bytes of `body` and compares them with `expected`; the
 * bytes after them are put back, so the body reads on from the resume point. Rejects with the
 * body's own error (the caller maps it as any body failure); a body that ends inside the
 * overlap is a mismatch.
 */
export async function bodyStartsWith(body: Readable, expected: Buffer): Promise<boolean> {
  let at = 0;
  while (at < expected.length) {
    const chunk = body.read() as Buffer | null;
    if (chunk === null) {
      if (!(await readable(body))) return false;
      continue;
    }
    const take = Math.min(chunk.length, expected.length - at);
    if (!chunk.subarray(0, take).equals(expected.subarray(at, at + take))) {
      return false;
    }
    at += take;
    if (take < chunk.length) body.unshift(chunk.subarray(take));
  }
  return true;
}

/** Waits until `body` has data (true) or has ended (false); rejects with its error. */
function readable(body: Readable): Promise<boolean> {
  if (body.errored !== null) return Promise.reject(body.errored);
  if (body.readableEnded || body.destroyed) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    const settle = (outcome: boolean | Error): void => {
      body.off('readable', onReadable);
      body.off('end', onEnd);
      body.off('close', onEnd);
      body.off('error', onError);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onReadable = (): void => {
      settle(true);
    };
    const onEnd = (): void => {
      settle(body.errored instanceof Error ? body.errored : false);
    };
    const onError = (error: Error): void => {
      settle(error);
    };
    body.on('readable', onReadable);
    body.once('end', onEnd);
    body.once('close', onEnd);
    body.once('error', onError);
  });
}
