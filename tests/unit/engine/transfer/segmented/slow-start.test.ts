import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INITIAL_CONNECTIONS,
  SlowStart,
} from '../../../../../main/engine/transfer/segmented/slow-start.js';

const TICK_MS = 50;

/**
 * Drives a SlowStart with a simulated host: `rateOf(n)` is the throughput (bytes per second) of
 * n open connections; `burst` sends each connection's bytes in one tick out of `burst` (as a
 * rate-limiting server does), so single ticks are mostly empty.
 */
function ramp(rateOf: (n: number) => number, max: number, seconds: number, burst = 1): number {
  const slow = new SlowStart(2);
  slow.rangesWork(max);
  let tick = 0;
  for (let t = 0; t < seconds * 1000; t += TICK_MS, tick++) {
    const open = slow.target(max);
    const perTick = (rateOf(open) * TICK_MS) / 1000;
    const bytes = tick % burst === 0 ? perTick * burst : 0;
    slow.observe(bytes, TICK_MS, open, max);
  }
  return slow.target(max);
}

describe('SlowStart', () => {
  it('starts from four connections once ranges work', () => {
    const slow = new SlowStart(2);
    assert.equal(slow.rangesWork(16), true);
    assert.equal(slow.target(16), INITIAL_CONNECTIONS);
  });

  for (const perConnection of [1e6, 10e6]) {
    for (const max of [8, 16]) {
      it(`reaches ${max} when each connection is limited to ${perConnection / 1e6} MB/s`, () => {
        assert.equal(
          ramp((n) => n * perConnection, max, 5),
          max,
        );
      });
    }
  }

  it('reaches the limit even when the host sends in bursts (nginx limit_rate)', () => {
    assert.equal(
      ramp((n) => n * 1e6, 16, 5, 4),
      16,
    );
  });

  it('goes back to four when more connections add no throughput', () => {
    assert.equal(
      ramp(() => 100e6, 16, 5),
      INITIAL_CONNECTIONS,
    );
  });

  it('stops near the bottleneck: keeps a step that helped a little, undoes one that did not', () => {
    // 4 -> 8 connections: 3 -> 3 MB/s, undone.
    assert.equal(
      ramp((n) => Math.min(n, 3) * 1e6, 16, 5),
      INITIAL_CONNECTIONS,
    );
    // 8 -> 16: 6 -> 6 MB/s, undone; 4 -> 8 had helped (4 -> 6).
    assert.equal(
      ramp((n) => Math.min(n, 6) * 1e6, 16, 5),
      8,
    );
    // 8 -> 16: 8 -> 9.5 MB/s (1.19x), kept, and the ramp ends there.
    assert.equal(
      ramp((n) => Math.min(n, 9.5) * 1e6, 32, 5),
      16,
    );
  });

  it('does not judge a window while connections are still opening', () => {
    const slow = new SlowStart(2);
    slow.rangesWork(16);
    for (let i = 0; i < 40; i++) slow.observe(0, TICK_MS, 2, 16);
    assert.equal(slow.target(16), INITIAL_CONNECTIONS, 'still probing, not stopped');
    for (let i = 0; i < 20; i++) slow.observe(50_000, TICK_MS, 4, 16);
    assert.equal(slow.target(16), 8, 'the first full window with four open doubles');
  });

  it('never grows after a back-off', () => {
    const slow = new SlowStart(2);
    slow.rangesWork(16);
    slow.backOff();
    for (let i = 0; i < 100; i++) slow.observe(i * 10_000, TICK_MS, 4, 16);
    assert.equal(slow.target(16), INITIAL_CONNECTIONS);
  });
});
