import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  etaSeconds,
  HISTORY_MS,
  nextSpeed,
  progressFraction,
  STALL_MS,
} from '../../../../renderer/store/speed.js';
import { createFerryStore } from '../../../../renderer/store/index.js';
import { jobSelectors } from '../../../../renderer/store/selectors.js';
import { job, jobMap, withBytes } from '../job-fixture.js';

describe('speed from successive batches', () => {
  const running = job(1, { state: 'TRANSFERRING' });

  it('the first sighting has no speed; the next batch measures bytes over time', () => {
    const s0 = nextSpeed(undefined, withBytes(running, 0, 10_000_000), 0);
    assert.equal(s0.speed, 0);
    const s1 = nextSpeed(s0, withBytes(running, 500_000, 10_000_000), 500);
    assert.equal(s1.speed, 1_000_000);
    // Smoothed: a second sample of 2 MB/s moves the figure half way.
    const s2 = nextSpeed(s1, withBytes(running, 1_500_000, 10_000_000), 1_000);
    assert.equal(s2.speed, 1_500_000);
  });

  it('drops to zero when a job stops moving or stalls', () => {
    const s1 = { bytes: 100, time: 0, speed: 5_000, history: [] };
    assert.equal(nextSpeed(s1, withBytes({ ...running, state: 'SUSPENDED' }, 100), 100).speed, 0);
    assert.equal(nextSpeed(s1, withBytes(running, 100), STALL_MS - 1), s1);
    assert.equal(nextSpeed(s1, withBytes(running, 100), STALL_MS + 1).speed, 0);
  });

  it('keeps about one history point per second, for the last minutes only', () => {
    let s = nextSpeed(undefined, withBytes(running, 0, null), 0);
    for (let t = 250, bytes = 1000; t <= HISTORY_MS + 10_000; t += 250, bytes += 1000) {
      s = nextSpeed(s, withBytes(running, bytes, null), t);
    }
    const times = s.history.map((p) => p.time);
    assert.ok(
      s.history.length >= 290 && s.history.length <= 302,
      `${String(s.history.length)} points`,
    );
    assert.ok((times[0] ?? 0) >= 10_000 - 1, 'older points are dropped');
    for (let i = 2; i < times.length; i++) {
      assert.ok(
        (times[i] ?? 0) - (times[i - 2] ?? 0) >= 1000,
        'at most two points within a second',
      );
    }
  });

  it('the store measures speeds per batch and sums them for the status bar', () => {
    const store = createFerryStore();
    const a = job(1, { state: 'TRANSFERRING' });
    const b = job(2, { state: 'TRANSFERRING' });
    store.getState().applyBatch(jobMap([withBytes(a, 0), withBytes(b, 0)]), 0);
    store.getState().applyBatch(jobMap([withBytes(a, 250), withBytes(b, 500)]), 1_000);
    assert.equal(jobSelectors.speed(a.id)(store.getState()), 250);
    assert.equal(jobSelectors.globalSpeed(store.getState()), 750);
    assert.equal(jobSelectors.eta(b.id)(store.getState()), 1);
  });
});

describe('time left and progress', () => {
  const running = job(1, { state: 'TRANSFERRING' });
  it('time left is what remains over the speed, rounded up', () => {
    assert.equal(etaSeconds(withBytes(running, 400, 1000), 200), 3);
  });
  it('unknown without a total, without speed, or when the job is not moving', () => {
    assert.equal(etaSeconds(withBytes(running, 400, null), 200), null);
    assert.equal(etaSeconds(withBytes(running, 400, 1000), 0), null);
    assert.equal(etaSeconds(withBytes({ ...running, state: 'SUSPENDED' }, 400, 1000), 200), null);
  });
  it('an unknown total gives an indeterminate bar (null), never 0', () => {
    assert.equal(progressFraction(withBytes(running, 400, null)), null);
    assert.equal(progressFraction(withBytes(running, 250, 1000)), 0.25);
  });
});
