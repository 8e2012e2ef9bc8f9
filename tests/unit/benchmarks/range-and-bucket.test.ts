import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRange } from '../../../benchmarks/support/range-header.js';
import { createTokenBucket, reserve } from '../../../benchmarks/support/token-bucket.js';

describe('resolveRange', () => {
  // [header, size, answer]
  const cases: readonly [string | undefined, number, ReturnType<typeof resolveRange>][] = [
    [undefined, 100, { kind: 'full' }],
    ['bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=90-500', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-500', 100, { kind: 'partial', start: 0, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    // Syntactically invalid or multi-range: a server may ignore Range and send everything.
    ['bytes=9-3', 100, { kind: 'full' }],
    ['bytes=0-1,5-6', 100, { kind: 'full' }],
    ['items=0-1', 100, { kind: 'full' }],
    ['bytes=-', 100, { kind: 'full' }],
  ];
  for (const [header, size, answer] of cases) {
    it(`${String(header)} on ${size} bytes → ${answer.kind}`, () => {
      assert.deepEqual(resolveRange(header, size), answer);
    });
  }
});

describe('token bucket', () => {
  it('lets a full bucket through at once, then makes the caller wait for the debt', () => {
    const bucket = createTokenBucket(1000, 0, 100);
    assert.equal(reserve(bucket, 100, 0), 0);
    // 50 bytes more with an empty bucket: 50 ms at 1000 B/s.
    assert.equal(reserve(bucket, 50, 0), 50);
  });

  it('keeps the long-run rate exact when timers fire late', () => {
    const rate = 10_000_000;
    const chunk = 64 * 1024;
    const bucket = createTokenBucket(rate, 0);
    let now = 0;
    let sent = 0;
    while (sent < 100 * 1024 * 1024) {
      const wait = reserve(bucket, chunk, now);
      // Every timer fires 3 ms late, as a busy event loop does.
      if (wait > 0) now += wait + 3;
      sent += chunk;
    }
    const achieved = sent / (now / 1000);
    // Credit from late timers is kept (up to the capacity), so the rate stays within 1 %.
    assert.ok(Math.abs(achieved - rate) / rate < 0.01, `achieved ${achieved} B/s`);
  });

  it('refuses a rate that is not positive', () => {
    assert.throws(() => createTokenBucket(0, 0), RangeError);
  });
});
