import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobId } from '../../../../app/model/ids.js';
import type { JobState } from '../../../../app/model/job-state.js';
import { JOB_STATES } from '../../../../app/model/job-state.js';
import { createFerryStore } from '../../../../renderer/store/index.js';
import { jobSelectors, matchesQuery, sortJobs } from '../../../../renderer/store/selectors.js';
import { jobInGroup } from '../../../../renderer/store/state-groups.js';
import type { SpeedInfo } from '../../../../renderer/store/speed.js';
import { idOf, job, jobMap, withBytes } from '../job-fixture.js';

describe('filters: state groups', () => {
  const expected: Record<string, readonly JobState[]> = {
    all: [
      'QUEUED',
      'CONNECTING',
      'TRANSFERRING',
      'SUSPENDED',
      'ERROR',
      'TRANSIENT_ERROR',
      'TRANSFERRED',
    ],
    active: ['CONNECTING', 'TRANSFERRING'],
    waiting: ['QUEUED', 'TRANSIENT_ERROR'],
    stopped: ['SUSPENDED', 'ERROR'],
    finished: ['TRANSFERRED'],
    history: ['ACKNOWLEDGED', 'CANCELLED'],
  };
  // Every done job finished before "Clear finished" was last pressed (time 5000 here).
  const cleared = (state: JobState) => ({
    state,
    times: { ...job(1).times, modificationTime: 1000 },
  });
  for (const [group, states] of Object.entries(expected)) {
    it(`${group} shows ${states.join(', ')} once cleared`, () => {
      const shown = JOB_STATES.filter((s) => jobInGroup(cleared(s), group as 'all', 5000));
      assert.deepEqual(shown, states);
    });
  }

  // Regression: a finished download vanished from All into History as soon as it completed.
  it('a download done since the last Clear finished stays in All and Finished as well as History', () => {
    const done = {
      state: 'ACKNOWLEDGED' as const,
      times: { ...job(1).times, modificationTime: 9000 },
    };
    assert.equal(jobInGroup(done, 'all', 5000), true);
    assert.equal(jobInGroup(done, 'finished', 5000), true);
    assert.equal(jobInGroup(done, 'history', 5000), true);
    assert.equal(jobInGroup(done, 'stopped', 5000), false);
    const cancelled = { ...done, state: 'CANCELLED' as const };
    assert.equal(jobInGroup(cancelled, 'all', 5000), false);
  });
});

describe('filters: search', () => {
  it('matches the name, the description or a remote URL, ignoring case', () => {
    const j = job(1, { displayName: 'Debian ISO', description: 'for the lab' });
    const q = (search: string) => ({ group: 'all' as const, search });
    assert.equal(matchesQuery(j, undefined, q('debian')), true);
    assert.equal(matchesQuery(j, undefined, q('LAB')), true);
    assert.equal(matchesQuery(j, 'https://cdn.example.org/x.iso', q('cdn.example')), true);
    assert.equal(matchesQuery(j, 'https://cdn.example.org/x.iso', q('ubuntu')), false);
    assert.equal(matchesQuery(j, undefined, q('   ')), true);
  });

  it('the visible list combines group, search and sort', () => {
    const store = createFerryStore();
    store
      .getState()
      .applyBatch(
        jobMap([
          job(1, { displayName: 'alpha', state: 'TRANSFERRING' }),
          job(2, { displayName: 'beta', state: 'SUSPENDED' }),
          job(3, { displayName: 'alphabet', state: 'ACKNOWLEDGED' }),
          job(4, { displayName: 'gamma alpha', state: 'ERROR' }),
        ]),
        0,
      );
    // The done job stays in All until "Clear finished".
    assert.deepEqual(jobSelectors.visibleIds(store.getState()), [
      idOf(1),
      idOf(2),
      idOf(3),
      idOf(4),
    ]);
    store.getState().setSearch('alpha');
    assert.deepEqual(jobSelectors.visibleIds(store.getState()), [idOf(1), idOf(3), idOf(4)]);
    store.getState().setGroup('stopped');
    assert.deepEqual(jobSelectors.visibleIds(store.getState()), [idOf(4)]);
    store.getState().setGroup('history');
    assert.deepEqual(jobSelectors.visibleIds(store.getState()), [idOf(3)]);
  });

  it('returns the same array while nothing it depends on changed', () => {
    const store = createFerryStore();
    store.getState().applyBatch(jobMap([job(1), job(2)]), 0);
    const first = jobSelectors.visibleIds(store.getState());
    store.getState().pushNotice({ key: 'hello', kind: 'info' });
    assert.equal(jobSelectors.visibleIds(store.getState()), first);
  });
});

describe('sorting', () => {
  const speeds = new Map<JobId, SpeedInfo>();
  const a = withBytes(job(1, { displayName: 'b-file', priority: 'LOW' }), 900);
  const b = withBytes(job(2, { displayName: 'A-file', priority: 'FOREGROUND' }), 100);
  const c = withBytes(job(3, { displayName: 'c-file', priority: 'HIGH' }), 500, null);
  speeds.set(a.id, { bytes: 0, time: 0, speed: 10, history: [] });
  speeds.set(b.id, { bytes: 0, time: 0, speed: 300, history: [] });
  speeds.set(c.id, { bytes: 0, time: 0, speed: 20, history: [] });
  const names = (jobs: readonly { displayName: string }[]) => jobs.map((j) => j.displayName);

  it('by added time, ascending and descending', () => {
    assert.deepEqual(names(sortJobs([c, a, b], 'added', 'asc', speeds)), [
      'b-file',
      'A-file',
      'c-file',
    ]);
    assert.deepEqual(names(sortJobs([c, a, b], 'added', 'desc', speeds)), [
      'c-file',
      'A-file',
      'b-file',
    ]);
  });
  it('by name, case-insensitively', () => {
    assert.deepEqual(names(sortJobs([c, a, b], 'name', 'asc', speeds)), [
      'A-file',
      'b-file',
      'c-file',
    ]);
  });
  it('by progress, an unknown total last when descending', () => {
    assert.deepEqual(names(sortJobs([c, a, b], 'progress', 'desc', speeds)), [
      'b-file',
      'A-file',
      'c-file',
    ]);
  });
  it('by speed', () => {
    assert.deepEqual(names(sortJobs([c, a, b], 'speed', 'desc', speeds)), [
      'A-file',
      'c-file',
      'b-file',
    ]);
  });
  it('by priority, FOREGROUND first when descending', () => {
    assert.deepEqual(names(sortJobs([c, a, b], 'priority', 'desc', speeds)), [
      'A-file',
      'c-file',
      'b-file',
    ]);
  });
  it('a header click sorts, a second flips the direction, a third returns to the added order', () => {
    const store = createFerryStore();
    store.getState().sortBy('speed');
    assert.deepEqual([store.getState().sortKey, store.getState().sortDirection], ['speed', 'desc']);
    store.getState().sortBy('speed');
    assert.deepEqual([store.getState().sortKey, store.getState().sortDirection], ['speed', 'asc']);
    store.getState().sortBy('speed');
    assert.deepEqual([store.getState().sortKey, store.getState().sortDirection], ['added', 'asc']);
    store.getState().sortBy('name');
    assert.equal(store.getState().sortDirection, 'asc');
  });
  it('by status, in the order a download goes through them', () => {
    const w = job(4, { displayName: 'w', state: 'QUEUED' });
    const d = job(5, { displayName: 'd', state: 'ACKNOWLEDGED' });
    const f = job(6, { displayName: 'f', state: 'ERROR' });
    assert.deepEqual(names(sortJobs([d, f, w], 'status', 'asc', speeds)), ['w', 'f', 'd']);
  });
});
