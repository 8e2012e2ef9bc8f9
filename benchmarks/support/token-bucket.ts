/**
 * A token bucket that paces one connection to a fixed number of bytes per second.
 *
 * Debt model: a write always takes its bytes, possibly driving the balance negative, and the
 * caller waits until the balance is back to zero. A timer that fires late leaves the elapsed
 * time in the bucket as credit (up to `capacity`), so the long-run rate stays exact even with
 * coarse timers, which is what "accurate at 10 MB/s" needs.
 */
export interface TokenBucket {
  readonly bytesPerSecond: number;
  readonly capacity: number;
  tokens: number;
  lastMs: number;
}

/** A full bucket for `bytesPerSecond`, holding at most `capacity` bytes of credit. */
export function createTokenBucket(
  bytesPerSecond: number,
  nowMs: number,
  capacity = Math.max(64 * 1024, Math.round(bytesPerSecond / 50)),
): TokenBucket {
  if (!(bytesPerSecond > 0))
    throw new RangeError(`bytes per second must be > 0, got ${bytesPerSecond}`);
  return { bytesPerSecond, capacity, tokens: capacity, lastMs: nowMs };
}

/**
 * Takes `bytes` from the bucket at time `nowMs`; returns how many milliseconds the caller must
 * wait before sending them (0 when the bucket had enough).
 */
export function reserve(bucket: TokenBucket, bytes: number, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - bucket.lastMs);
  bucket.lastMs = nowMs;
  bucket.tokens = Math.min(
    bucket.capacity,
    bucket.tokens + (elapsed * bucket.bytesPerSecond) / 1000,
  );
  bucket.tokens -= bytes;
  if (bucket.tokens >= 0) return 0;
  return (-bucket.tokens * 1000) / bucket.bytesPerSecond;
}
