// SegmentPlan hands out ranges to connections: pooled gaps first, then half of the largest
// running segment (work stealing), never below the minimum segment size; given-back ranges are
// handed out again. Every byte must be owned by exactly one connection or the pool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SegmentPlan } from '../../../../../main/engine/transfer/segmented/segment-plan.js';
import type { Segment } from '../../../../../main/engine/transfer/segmented/segment-plan.js';

const MiB = 1024 * 1024;

function span(segment: Segment | null): [number, number] | null {
  return segment === null ? null : [segment.pos, segment.end];
}

describe('SegmentPlan', () => {
  it('hands out pooled gaps first, in order', () => {
    const plan = new SegmentPlan(
      [
        [0, 4 * MiB],
        [8 * MiB, 10 * MiB],
      ],
      MiB,
    );
    assert.deepEqual(span(plan.take()), [0, 4 * MiB]);
    assert.deepEqual(span(plan.take()), [8 * MiB, 10 * MiB]);
    assert.equal(plan.running, 2);
    assert.equal(plan.remaining(), 6 * MiB);
  });

  it('steals the second half of the largest running segment, page-aligned', () => {
    const plan = new SegmentPlan([[0, 10 * MiB + 123]], MiB);
    const first = plan.take();
    assert.ok(first !== null);
    const stolen = plan.take();
    assert.ok(stolen !== null);
    assert.equal(stolen.pos % 4096, 0);
    assert.equal(first.end, stolen.pos);
    assert.equal(stolen.end, 10 * MiB + 123);
    // The two halves are close to equal.
    assert.ok(Math.abs(first.end - first.pos - (stolen.end - stolen.pos)) <= 4096 + 123);
  });

  it('never splits below the minimum segment size', () => {
    const plan = new SegmentPlan([[0, 3 * MiB]], 2 * MiB);
    assert.ok(plan.take() !== null);
    assert.equal(plan.hasWork(), false);
    assert.equal(plan.take(), null);
  });

  it('keeps stealing from whichever segment has the most left', () => {
    const plan = new SegmentPlan([[0, 16 * MiB]], MiB);
    const a = plan.take();
    const b = plan.take(); // [8, 16)
    assert.ok(a !== null && b !== null);
    a.pos = 7 * MiB; // a nearly done: b has the most left
    const c = plan.take();
    assert.deepEqual(span(c), [12 * MiB, 16 * MiB]);
    assert.equal(b.end, 12 * MiB);
  });

  it('returns a released segment’s unreceived rest to the pool, and hands it out again', () => {
    const plan = new SegmentPlan([[0, 8 * MiB]], MiB);
    const a = plan.take();
    assert.ok(a !== null);
    a.pos = 3 * MiB;
    plan.release(a);
    assert.equal(plan.running, 0);
    assert.equal(plan.remaining(), 5 * MiB);
    assert.deepEqual(span(plan.take()), [3 * MiB, 8 * MiB]);
    // Releasing twice (or a finished segment) changes nothing.
    plan.release(a);
    assert.equal(plan.remaining(), 5 * MiB);
  });

  it('hold() takes a held range out of the pool, splitting it', () => {
    const plan = new SegmentPlan([[0, 10 * MiB]], MiB);
    const held = plan.hold(2 * MiB, 6 * MiB);
    assert.deepEqual(span(held), [2 * MiB, 6 * MiB]);
    assert.deepEqual(span(plan.take()), [0, 2 * MiB]);
    assert.deepEqual(span(plan.take()), [6 * MiB, 10 * MiB]);
    assert.equal(plan.remaining(), 10 * MiB);
  });

  it('extend() grows a segment over the pooled range at its end, up to the response end', () => {
    const plan = new SegmentPlan([[0, 10 * MiB]], MiB);
    const held = plan.hold(0, 4 * MiB);
    held.pos = 4 * MiB;
    assert.equal(plan.extend(held, 7 * MiB), true);
    assert.deepEqual(span(held), [4 * MiB, 7 * MiB]);
    assert.deepEqual(span(plan.take()), [7 * MiB, 10 * MiB]);
    // Nothing pooled at its end any more.
    held.pos = 7 * MiB;
    assert.equal(plan.extend(held, 10 * MiB), false);
  });

  it('accounts for every byte: pooled plus running equals the file minus what was received', () => {
    const total = 64 * MiB;
    const plan = new SegmentPlan([[0, total]], MiB);
    const running: Segment[] = [];
    let received = 0;
    for (let round = 0; round < 40; round++) {
      const next = plan.take();
      if (next !== null) running.push(next);
      for (const segment of running) {
        const step = Math.min(segment.end - segment.pos, (round % 3) * MiB + 4096);
        segment.pos += step;
        received += step;
      }
      assert.equal(plan.remaining(), total - received);
    }
    for (const segment of running) plan.release(segment);
    assert.equal(plan.remaining(), total - received);
  });
});
