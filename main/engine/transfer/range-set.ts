/** A half-open byte range `[start, end)`, as stored in a file's segment record. */
export type ByteSpan = readonly [start: number, end: number];

/**
 * A set of disjoint byte ranges kept sorted and merged.
 *
 * Holds the parts of a segmented file that are written (or durable). Connections extend their
 * own range as bytes land, so the set stays as small as the number of connections and every
 * operation is a short linear scan.
 */
export class RangeSet {
  private spans: [number, number][] = [];

  constructor(initial: Iterable<ByteSpan> = []) {
    for (const [start, end] of initial) this.add(start, end);
  }

  /** Adds `[start, end)`, merging with touching or overlapping ranges. */
  add(start: number, end: number): void {
    if (end <= start) return;
    const out: [number, number][] = [];
    let s = start;
    let e = end;
    let placed = false;
    for (const span of this.spans) {
      if (span[1] < s) out.push(span);
      else if (span[0] > e) {
        if (!placed) {
          out.push([s, e]);
          placed = true;
        }
        out.push(span);
      } else {
        s = Math.min(s, span[0]);
        e = Math.max(e, span[1]);
      }
    }
    if (!placed) out.push([s, e]);
    this.spans = out;
  }

  /** Total bytes covered. */
  get size(): number {
    let total = 0;
    for (const [start, end] of this.spans) total += end - start;
    return total;
  }

  /** The ranges, sorted, as a fresh array (safe to store or serialise). */
  toArray(): [number, number][] {
    return this.spans.map(([start, end]) => [start, end]);
  }

  /** The parts of `[0, total)` not in the set, in order. */
  gaps(total: number): [number, number][] {
    const out: [number, number][] = [];
    let at = 0;
    for (const [start, end] of this.spans) {
      if (start > at) out.push([at, Math.min(start, total)]);
      at = Math.max(at, end);
      if (at >= total) break;
    }
    if (at < total) out.push([at, total]);
    return out.filter(([start, end]) => end > start);
  }

  /** Whether the set is exactly `[0, total)`. */
  covers(total: number): boolean {
    return (
      total === 0 ||
      (this.spans.length === 1 && this.spans[0]?.[0] === 0 && this.spans[0][1] >= total)
    );
  }

  /** The end of the contiguous prefix from byte 0 (0 when byte 0 is missing). */
  prefix(): number {
    const first = this.spans[0];
    return first !== undefined && first[0] === 0 ? first[1] : 0;
  }
}

/**
 * Whether a stored segment record is well formed for a file of `total` bytes: sorted, disjoint,
 * non-empty ranges inside the file. A record that is not is ignored (the file starts over).
 */
export function validSpans(spans: unknown, total: number): spans is ByteSpan[] {
  if (!Array.isArray(spans)) return false;
  let at = 0;
  for (const span of spans as unknown[]) {
    if (!Array.isArray(span) || span.length !== 2) return false;
    const [start, end] = span as unknown[];
    if (typeof start !== 'number' || typeof end !== 'number') return false;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return false;
    if (start < at || end <= start || end > total) return false;
    at = end;
  }
  return true;
}
