/**
 * Token buckets for speed limits, and how a background limit is shared between jobs.
 *
 * A bucket runs on debt: `take(n)` always succeeds and answers how long the caller should pause
 * before reading more. Connections take after each chunk they receive and sleep that long, so a
 * limit is enforced across any number of connections sharing the bucket, with no per-chunk
 * timers when there is no limit.
 */

/** Most a bucket can save up, in seconds of its rate: a short burst after an idle spell. */
const BURST_SECONDS = 0.1;
/** Smallest burst, so that one large chunk never has to wait on its own. */
const MIN_BURST_BYTES = 64 * 1024;

/** A token bucket of `rate` bytes per second (0 = unlimited), changeable at any time. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private rateValue = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.updatedAt = now();
    this.tokens = this.capacity();
  }

  /** Bytes per second; 0 is unlimited. */
  get rate(): number {
    return this.rateValue;
  }

  /** Changes the rate; bytes taken so far keep their debt, measured at the old rate. */
  setRate(rate: number): void {
    if (rate === this.rateValue) return;
    this.refill();
    this.rateValue = rate;
    if (rate === 0) this.tokens = 0;
    else this.tokens = Math.min(this.tokens, this.capacity());
  }

  /** Takes `bytes`; returns the milliseconds to wait before taking more (0: go on). */
  take(bytes: number): number {
    if (this.rateValue <= 0) return 0;
    this.refill();
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rateValue) * 1000;
  }

  private capacity(): number {
    return Math.max(MIN_BURST_BYTES, this.rateValue * BURST_SECONDS);
  }

  private refill(): void {
    const at = this.now();
    const elapsed = (at - this.updatedAt) / 1000;
    this.updatedAt = at;
    if (this.rateValue > 0) {
      this.tokens = Math.min(this.capacity(), this.tokens + elapsed * this.rateValue);
    }
  }
}

/** One job's claim on the shared background limit. */
export interface ShareClaim {
  /** Relative weight (a HIGH job gets more than a LOW one). */
  readonly weight: number;
  /** The job's own limit, bytes per second; 0 = none. A share above it is given to others. */
  readonly cap: number;
}

/**
 * Splits a background limit between jobs by weight (water-filling): each job gets
 * `limit × weight / Σweight`, except that a job capped lower by its own limit keeps only its
 * cap and the rest is shared again among the others. Returns one rate per claim, in order;
 * `limit` 0 (unlimited) gives every job 0 (unlimited).
 */
export function shareLimit(limit: number, claims: readonly ShareClaim[]): number[] {
  const rates = claims.map(() => 0);
  if (limit <= 0 || claims.length === 0) return rates;
  let open = claims.map((_, i) => i);
  let left = limit;
  for (;;) {
    const weight = open.reduce((sum, i) => sum + (claims[i]?.weight ?? 0), 0);
    if (weight <= 0) break;
    const capped = open.filter((i) => {
      const claim = claims[i];
      return claim !== undefined && claim.cap > 0 && claim.cap < (left * claim.weight) / weight;
    });
    if (capped.length === 0) {
      for (const i of open) rates[i] = (left * (claims[i]?.weight ?? 0)) / weight;
      break;
    }
    for (const i of capped) {
      const cap = claims[i]?.cap ?? 0;
      rates[i] = cap;
      left -= cap;
    }
    open = open.filter((i) => !capped.includes(i));
    if (open.length === 0) break;
  }
  return rates.map((rate) => Math.max(1, Math.floor(rate)));
}
