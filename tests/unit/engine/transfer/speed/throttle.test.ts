// Speed limits: the token bucket (debt and burst, live rate changes, 0 = unlimited), how the
// background limit is shared between jobs by priority weight with per-job caps (shareLimit),
// which scheduled rule is in force (activeSpeedLimit), and the `throttled` fast path that
// skips all pacing when no limit applies. Clocks are injected, so nothing here sleeps.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SpeedRule } from '../../../../../app/index.js';
import { throttled } from '../../../../../main/engine/transfer/speed/bandwidth.js';
import type { Throttle } from '../../../../../main/engine/transfer/speed/bandwidth.js';
import {
  activeSpeedLimit,
  ruleActive,
} from '../../../../../main/engine/transfer/speed/speed-schedule.js';
import { TokenBucket, shareLimit } from '../../../../../main/engine/transfer/speed/throttle.js';

describe('TokenBucket', () => {
  it('never asks an unlimited caller to wait', () => {
    const bucket = new TokenBucket(0, () => 0);
    assert.equal(bucket.take(1e12), 0);
  });

  it('lets a burst through, then charges the debt at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket(1_000_000, () => now); // 1 MB/s, burst 100 kB
    assert.equal(bucket.take(100_000), 0);
    // 50 kB more than it holds: 50 ms at 1 MB/s.
    assert.equal(bucket.take(50_000), 50);
    now = 50;
    assert.equal(bucket.take(0), 0);
    now = 100;
    assert.equal(bucket.take(100_000), 50);
  });

  it('keeps its burst at least 64 KiB, so one large chunk never waits on its own', () => {
    const bucket = new TokenBucket(1000, () => 0);
    assert.equal(bucket.take(64 * 1024), 0);
    assert.ok(bucket.take(1000) > 0);
  });

  it('applies a new rate at once and forgets debt when set to unlimited', () => {
    let now = 0;
    const bucket = new TokenBucket(1_000_000, () => now);
    assert.equal(bucket.take(300_000), 200);
    bucket.setRate(0);
    assert.equal(bucket.rate, 0);
    assert.equal(bucket.take(1e9), 0);
    bucket.setRate(2_000_000); // starts empty: no burst banked while unlimited
    now = 10;
    assert.equal(bucket.take(20_000), 0);
    assert.equal(bucket.take(20_000), 10);
  });
});

describe('shareLimit', () => {
  it('is unlimited for everyone when the limit is 0', () => {
    assert.deepEqual(
      shareLimit(0, [
        { weight: 4, cap: 0 },
        { weight: 1, cap: 0 },
      ]),
      [0, 0],
    );
    assert.deepEqual(shareLimit(1000, []), []);
  });

  it('splits by weight', () => {
    assert.deepEqual(
      shareLimit(7000, [
        { weight: 4, cap: 0 },
        { weight: 2, cap: 0 },
        { weight: 1, cap: 0 },
      ]),
      [4000, 2000, 1000],
    );
  });

  it('gives the share a job cannot use (its own lower limit) to the others', () => {
    assert.deepEqual(
      shareLimit(9000, [
        { weight: 1, cap: 1000 },
        { weight: 1, cap: 0 },
        { weight: 1, cap: 0 },
      ]),
      [1000, 4000, 4000],
    );
    // A cap above the fair share changes nothing.
    assert.deepEqual(
      shareLimit(9000, [
        { weight: 1, cap: 5000 },
        { weight: 2, cap: 0 },
      ]),
      [3000, 6000],
    );
  });

  it('re-shares in rounds when capping one job pushes another under its cap', () => {
    // Fair: 3000 each. A is capped at 500 -> 4250 each for B, C; B capped at 4000 -> C 4500.
    assert.deepEqual(
      shareLimit(9000, [
        { weight: 1, cap: 500 },
        { weight: 1, cap: 4000 },
        { weight: 1, cap: 0 },
      ]),
      [500, 4000, 4500],
    );
  });

  it('never gives a limited job 0 (which would mean unlimited)', () => {
    const rates = shareLimit(2, [
      { weight: 1, cap: 0 },
      { weight: 1, cap: 0 },
      { weight: 1, cap: 0 },
    ]);
    for (const rate of rates) assert.ok(rate >= 1);
  });
});

describe('activeSpeedLimit', () => {
  const weekdays: SpeedRule = {
    days: [1, 2, 3, 4, 5],
    start: '09:00',
    end: '18:00',
    speedLimit: 1000,
  };
  const nights: SpeedRule = { days: [5], start: '22:00', end: '06:00', speedLimit: 5000 };
  // 2026-11-20 is a Friday (day 5); local time, as the schedule is.
  const at = (day: number, hh: number, mm = 0): Date => new Date(2026, 10, day, hh, mm);

  it('uses the plain setting outside every rule', () => {
    const settings = { speedLimit: 42, speedSchedule: [weekdays] };
    assert.equal(activeSpeedLimit(settings, at(20, 8, 59)), 42);
    assert.equal(activeSpeedLimit(settings, at(20, 18, 0)), 42);
    assert.equal(activeSpeedLimit(settings, at(21, 12)), 42); // Saturday
  });

  it('uses a rule inside its window (start included, end excluded)', () => {
    const settings = { speedLimit: 42, speedSchedule: [weekdays] };
    assert.equal(activeSpeedLimit(settings, at(20, 9, 0)), 1000);
    assert.equal(activeSpeedLimit(settings, at(20, 17, 59)), 1000);
  });

  it('lets a window past midnight run into the next day, from its own day only', () => {
    assert.equal(ruleActive(nights, at(20, 23)), true); // Friday evening
    assert.equal(ruleActive(nights, at(21, 5, 59)), true); // Saturday morning, Friday's rule
    assert.equal(ruleActive(nights, at(21, 6)), false);
    assert.equal(ruleActive(nights, at(20, 5)), false); // Friday morning belongs to Thursday
  });

  it('takes the first matching rule', () => {
    const both: SpeedRule = { days: [5], start: '00:00', end: '24:00', speedLimit: 7 };
    const settings = { speedLimit: 0, speedSchedule: [both, weekdays] };
    assert.equal(activeSpeedLimit(settings, at(20, 12)), 7);
  });
});

describe('throttled', () => {
  const signal = new AbortController().signal;

  it('hands a chunk on whole and synchronously when no limit applies', () => {
    let taken = 0;
    const free: Throttle = {
      take: (bytes) => (taken += bytes) * 0,
      limited: () => false,
    };
    const slices: number[] = [];
    const chunk = Buffer.alloc(300 * 1024);
    const wait = throttled(free, chunk, signal, (slice) => {
      slices.push(slice.length);
      return undefined;
    });
    assert.equal(wait, undefined);
    assert.deepEqual(slices, [chunk.length]);
    assert.equal(taken, 0);
  });

  it('pays for a chunk in 64 KiB steps under a limit', async () => {
    let taken = 0;
    const limited: Throttle = {
      take: (bytes) => {
        taken += bytes;
        return 0;
      },
      limited: () => true,
    };
    const slices: number[] = [];
    await throttled(limited, Buffer.alloc(150 * 1024), signal, (slice) => {
      slices.push(slice.length);
      return undefined;
    });
    assert.deepEqual(slices, [64 * 1024, 64 * 1024, 22 * 1024]);
    assert.equal(taken, 150 * 1024);
  });
});
