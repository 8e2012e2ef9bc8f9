import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobId } from '../../../../app/model/ids.js';
import type { JobInfo } from '../../../../app/model/job.js';
import { createFerryStore } from '../../../../renderer/store/index.js';
import type { JobAction } from '../../../../renderer/store/selectors.js';
import { jobSelectors } from '../../../../renderer/store/selectors.js';
import { job, jobMap } from '../job-fixture.js';

describe('store: jobs/applyBatch', () => {
  it('applies one batch with exactly one store update and keeps the Map it was given', () => {
    const store = createFerryStore();
    let updates = 0;
    store.subscribe(() => {
      updates += 1;
    });
    const first = jobMap([job(1, { state: 'TRANSFERRING' }), job(2)]);
    store.getState().applyBatch(first, 1_000);
    assert.equal(updates, 1);
    assert.equal(store.getState().jobs, first);
    assert.equal(store.getState().batchCount, 1);

    const second = new Map(first);
    second.set(job(3).id, job(3));
    store.getState().applyBatch(second, 1_250);
    assert.equal(updates, 2);
    assert.equal(store.getState().jobs, second);
    assert.notEqual(store.getState().jobs, first, 'the Map is replaced, never mutated');
    assert.equal(first.size, 2, 'the previous Map is untouched');
  });

  it('drops selected and focused jobs that a batch removed', () => {
    const store = createFerryStore();
    const a = job(1);
    const b = job(2);
    store.getState().applyBatch(jobMap([a, b]), 0);
    store.getState().selectOnly(a.id);
    store.getState().toggle(b.id);
    store.getState().applyBatch(jobMap([b]), 10);
    assert.deepEqual([...store.getState().selected], [b.id]);
    assert.equal(store.getState().focused, b.id);
    store.getState().applyBatch(jobMap([]), 20);
    assert.equal(store.getState().selected.size, 0);
    assert.equal(store.getState().focused, null);
  });

  it('keeps the speed entry of an unchanged idle job, so rows do not re-render', () => {
    const store = createFerryStore();
    const idle = job(1, { state: 'SUSPENDED' });
    store.getState().applyBatch(jobMap([idle]), 0);
    const before = store.getState().speeds.get(idle.id);
    store.getState().applyBatch(jobMap([idle]), 5_000);
    assert.equal(store.getState().speeds.get(idle.id), before);
  });

  it('indexes remote URLs from jobs that arrive with files, and keeps them after JobInfo updates', () => {
    const store = createFerryStore();
    const withFiles = {
      ...job(1),
      files: [{ index: 0, remoteName: 'https://Example.com/Big.iso' }],
      errors: [],
    };
    store.getState().applyBatch(jobMap([withFiles]), 0);
    store.getState().applyBatch(jobMap([job(1, { displayName: 'renamed' })]), 10);
    assert.equal(store.getState().remoteUrls.get(withFiles.id), 'https://example.com/big.iso');
  });
});

describe('store: selection', () => {
  it('selects ranges in list order from the anchor, and toggles', () => {
    const store = createFerryStore();
    const jobs = [1, 2, 3, 4, 5].map((n) => job(n));
    store.getState().applyBatch(jobMap(jobs), 0);
    const order = jobs.map((j) => j.id);
    store.getState().selectOnly(order[1] as JobId);
    store.getState().selectRange(order[3] as JobId, order);
    assert.deepEqual([...store.getState().selected], order.slice(1, 4));
    store.getState().toggle(order[2] as JobId);
    assert.deepEqual([...store.getState().selected].sort(), [order[1], order[3]].sort());
    store.getState().selectAll(order);
    assert.equal(store.getState().selected.size, 5);
    store.getState().clearSelection();
    assert.equal(store.getState().selected.size, 0);
  });
});

describe('selectors: enabled actions apply to the states that make sense', () => {
  type Flags = Record<JobAction, boolean>;
  const none: Flags = {
    resume: false,
    suspend: false,
    retry: false,
    complete: false,
    cancel: false,
    remove: true,
    moveUp: false,
    moveDown: false,
  };
  const live = { cancel: true, moveUp: true, moveDown: true };
  const cases: [JobInfo['state'], Flags][] = [
    ['QUEUED', { ...none, ...live, suspend: true }],
    ['TRANSFERRING', { ...none, ...live, suspend: true }],
    ['TRANSIENT_ERROR', { ...none, ...live, suspend: true, retry: true }],
    ['SUSPENDED', { ...none, ...live, resume: true }],
    ['ERROR', { ...none, ...live, retry: true }],
    ['TRANSFERRED', { ...none, ...live, complete: true }],
    ['ACKNOWLEDGED', none],
    ['CANCELLED', none],
  ];
  for (const [state, expected] of cases) {
    it(`${state}: ${JSON.stringify(expected)}`, () => {
      const store = createFerryStore();
      const j = job(1, { state });
      store.getState().applyBatch(jobMap([j]), 0);
      store.getState().selectOnly(j.id);
      assert.deepEqual(jobSelectors.enabledActions(store.getState()), expected);
    });
  }

  // Regression: a selection of 2,000 mixed rows enabled Resume only when every row could
  // resume, so "select all + Resume" needed the user to filter first.
  it('a mixed selection enables an action when it applies to at least one job', () => {
    const store = createFerryStore();
    const paused = job(1, { state: 'SUSPENDED' });
    const done = job(2, { state: 'ACKNOWLEDGED' });
    store.getState().applyBatch(jobMap([paused, done]), 0);
    store.getState().selectAll([paused.id, done.id]);
    const enabled = jobSelectors.enabledActions(store.getState());
    assert.equal(enabled.resume, true);
    assert.equal(enabled.suspend, false);
    assert.equal(jobSelectors.selectedCount(store.getState()), 2);
  });

  it('nothing selected: nothing enabled', () => {
    const store = createFerryStore();
    store.getState().applyBatch(jobMap([job(1)]), 0);
    assert.ok(Object.values(jobSelectors.enabledActions(store.getState())).every((v) => !v));
  });
});
