/** A range one connection is fetching: `pos` is its next byte, `end` (exclusive) may shrink. */
export interface Segment {
  pos: number;
  end: number;
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
    const segment = { pos: start, end };
    this.active.add(segment);
    return segment;
  }

  /** The next range to fetch, or null when there is nothing worth a connection. */
  take(): Segment | null {
    const pooled = this.pool.shift();
    if (pooled !== undefined) {
      const segment = { pos: pooled[0], end: pooled[1] };
      this.active.add(segment);
      return segment;
    }
    const victim = this.largest();
    if (victim === null) return null;
    const left = victim.end - victim.pos;
    if (left < 2 * this.minSegmentSize) return null;
    let mid = victim.pos + Math.floor(left / 2);
    const aligned = mid - (mid % SPLIT_ALIGN);
    if (aligned - victim.pos >= this.minSegmentSize) mid = aligned;
    const stolen = { pos: mid, end: victim.end };
    victim.end = mid;
    this.active.add(stolen);
    return stolen;
  }

  /** Whether `take()` would find work now. */
  hasWork(): boolean {
    if (this.pool.length > 0) return true;
    const victim = this.largest();
    return victim !== null && victim.end - victim.pos >= 2 * this.minSegmentSize;
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

  private largest(): Segment | null {
    let best: Segment | null = null;
    for (const segment of this.active) {
      if (best === null || segment.end - segment.pos > best.end - best.pos) best = segment;
    }
    return best;
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
