/** A range one connection is fetching: `pos` is its next byte, `end` (exclusive) may shrink. */
export interface Segment {
  pos: number;
  end: number;
  /**
   * Where the response in flight for it ends (exclusive); `pos` when none is. Stealing splits
   * at or after it, so a response is read to its end and its keep-alive socket reused.
   */
  requested: number;
}

/** Split points are rounded down to this, so positioned writes stay page-aligned. */
const SPLIT_ALIGN = 4096;

/**
 * Who fetches which bytes of a segmented file: the ranges nobody holds (the pool) and the
 * segments connections are working on.
 *
 * A connection asks `take()` for work: a pooled range first, else the second half of the
 * largest segment still running (work stealing), as long as both halves stay at least
 * `minSegmentSize`. A connection that stalls or fails `giveBack`s what it did not receive, so
 * the next `take()` hands it out again. Pure bookkeeping, no I/O: the transfer drives it.
 */
export class SegmentPlan {
  private pool: [number, number][];
  private readonly active = new Set<Segment>();

  constructor(
    gaps: readonly (readonly [number, number])[],
    private readonly minSegmentSize: number,
  ) {
    this.pool = gaps.filter(([s, e]) => e > s).map(([s, e]) => [s, e]);
  }

  /** Registers a segment a connection already holds (the first response's body). */
  hold(start: number, end: number): Segment {
    this.removeFromPool(start, end);
    const segment = { pos: start, end, requested: end };
    this.active.add(segment);
    return segment;
  }

  /**
   * The next range to fetch, or null when there is nothing worth a connection.
   *
   * Stealing takes the second half of the largest segment but never cuts into a response in
   * flight (cutting one closes its socket, and the thief opens another), unless that response
   * still has at least `cutAbove` bytes to go: the first response of a file covers all of it.
   */
  take(cutAbove = 0): Segment | null {
    const pooled = this.pool.shift();
    if (pooled !== undefined) {
      const segment = { pos: pooled[0], end: pooled[1], requested: pooled[0] };
      this.active.add(segment);
      return segment;
    }
    const split = this.bestSplit(cutAbove);
    if (split === null) return null;
    const { victim, at } = split;
    const stolen = { pos: at, end: victim.end, requested: at };
    victim.end = at;
    this.active.add(stolen);
    return stolen;
  }

  /** Whether `take(cutAbove)` would find work now. */
  hasWork(cutAbove = 0): boolean {
    return this.pool.length > 0 || this.bestSplit(cutAbove) !== null;
  }

  /**
   * Grows `segment` over a pooled range that starts at its end, up to `limit` (the end of the
   * response the connection is reading), so a connection whose body runs on keeps going.
   */
  extend(segment: Segment, limit: number): boolean {
    const index = this.pool.findIndex(([start]) => start === segment.end);
    const found = this.pool[index];
    if (found === undefined || segment.end >= limit) return false;
    const upTo = Math.min(found[1], limit);
    segment.end = upTo;
    if (upTo >= found[1]) this.pool.splice(index, 1);
    else found[0] = upTo;
    return true;
  }

  /** A connection is done with `segment`: its unreceived rest (if any) returns to the pool. */
  release(segment: Segment): void {
    if (!this.active.delete(segment)) return;
    if (segment.end > segment.pos) {
      this.pool.push([segment.pos, segment.end]);
      this.pool.sort((a, b) => a[0] - b[0]);
    }
  }

  /** Bytes nobody has received yet (pooled or still ahead of a connection). */
  remaining(): number {
    let total = 0;
    for (const [start, end] of this.pool) total += end - start;
    for (const segment of this.active) total += Math.max(0, segment.end - segment.pos);
    return total;
  }

  /** Segments being fetched now. */
  get running(): number {
    return this.active.size;
  }

  /** Where to split which segment: the split leaving the thief the most, or null. */
  private bestSplit(cutAbove: number): { victim: Segment; at: number } | null {
    let best: { victim: Segment; at: number } | null = null;
    for (const victim of this.active) {
      const at = this.splitPoint(victim, cutAbove);
      if (at !== null && (best === null || victim.end - at > best.victim.end - best.at)) {
        best = { victim, at };
      }
    }
    return best;
  }

  private splitPoint(victim: Segment, cutAbove: number): number | null {
    const left = victim.end - victim.pos;
    if (left < 2 * this.minSegmentSize) return null;
    let mid = victim.pos + Math.floor(left / 2);
    const aligned = mid - (mid % SPLIT_ALIGN);
    if (aligned - victim.pos >= this.minSegmentSize) mid = aligned;
    const inFlight = Math.min(victim.requested, victim.end);
    if (mid >= inFlight || inFlight - victim.pos >= cutAbove) return mid;
    // Split after the response in flight, if what is left beyond it is worth a connection.
    return victim.end - inFlight >= this.minSegmentSize ? inFlight : null;
  }

  private removeFromPool(start: number, end: number): void {
    const out: [number, number][] = [];
    for (const [s, e] of this.pool) {
      if (e <= start || s >= end) out.push([s, e]);
      else {
        if (s < start) out.push([s, start]);
        if (e > end) out.push([end, e]);
      }
    }
    this.pool = out;
  }
}
