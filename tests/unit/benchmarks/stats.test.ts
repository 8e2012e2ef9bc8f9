import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cpuSecondsPerGiB,
  formatRatio,
  formatSummary,
  median,
  megabytesPerSecond,
  ratio,
  summarize,
} from '../../../benchmarks/support/stats.js';
import { marginPercent } from '../../../benchmarks/report/targets.js';
import { formatBytes } from '../../../benchmarks/scenarios/context.js';

describe('benchmark statistics', () => {
  it('takes the middle sample, or the mean of the two middle ones, whatever the order', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
  });

  it('summarizes with min and max and formats "median (min–max)"', () => {
    const summary = summarize([10, 30, 20]);
    assert.deepEqual(summary, { median: 20, min: 10, max: 30, n: 3 });
    assert.equal(formatSummary(summary, 1), '20.0 (10.0–30.0)');
    assert.equal(formatSummary(summarize([5]), 0), '5');
    assert.equal(formatSummary(summarize([]), 0), '–');
  });

  it('gives no ratio for a missing or zero denominator', () => {
    assert.equal(ratio(3, 2), 1.5);
    assert.ok(Number.isNaN(ratio(3, 0)));
    assert.ok(Number.isNaN(ratio(Number.NaN, 2)));
    assert.equal(formatRatio(1.234), '1.23×');
    assert.equal(formatRatio(Number.NaN), '–');
  });

  it('counts MB/s in decimal megabytes and CPU per binary GiB', () => {
    assert.equal(megabytesPerSecond(10_000_000, 1000), 10);
    assert.equal(megabytesPerSecond(5_000_000, 250), 20);
    assert.equal(cpuSecondsPerGiB(1, 2 ** 29), 2);
    assert.ok(Number.isNaN(cpuSecondsPerGiB(1, 0)));
  });

  it('signs a margin positive when the target is met, for either direction', () => {
    assert.equal(marginPercent(110, 100, true), 10);
    assert.equal(marginPercent(90, 100, true), -10);
    assert.equal(marginPercent(0.5, 1, false), 50);
    assert.equal(marginPercent(2, 1, false), -100);
    assert.ok(Number.isNaN(marginPercent(Number.NaN, 1, true)));
  });

  it('names sizes in binary units', () => {
    assert.equal(formatBytes(1024 ** 3), '1 GiB');
    assert.equal(formatBytes(128 * 1024 ** 2), '128 MiB');
    assert.equal(formatBytes(16 * 1024), '16 KiB');
    assert.equal(formatBytes(1536 * 1024), '1.5 MiB');
  });
});
