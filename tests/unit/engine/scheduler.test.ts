import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { JobId, JobPriority, JobState } from '../../../app/index.js';
import { JobTimers, planRuns } from '../../../main/engine/scheduler.js';
import type { PlanCandidate } from '../../../main/engine/scheduler.js';

/** A candidate whose id is its short name, for readable tables. */
function job(name: string, seq: number, priority: JobPriority, state: JobState = 'QUEUED') {
  return { id: name as JobId, seq, priority, state } satisfies PlanCandidate;
}

interface Case {
  readonly name: string;
  readonly jobs: readonly PlanCandidate[];
  readonly running: readonly string[];
  readonly max: number;
  readonly start: readonly string[];
  readonly stop: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'nothing to run',
    jobs: [],
    running: [],
    max: 3,
    start: [],
    stop: [],
  },
  {
    name: 'FOREGROUND jobs all start even with a limit of 0',
    jobs: [job('f1', 1, 'FOREGROUND'), job('f2', 2, 'FOREGROUND'), job('n1', 3, 'NORMAL')],
    running: [],
    max: 0,
    start: ['f1', 'f2'],
    stop: [],
  },
  {
    name: 'FOREGROUND jobs do not use background slots',
    jobs: [
      job('f1', 1, 'FOREGROUND'),
      job('f2', 2, 'FOREGROUND'),
      job('f3', 3, 'FOREGROUND'),
      job('n1', 4, 'NORMAL'),
      job('n2', 5, 'NORMAL'),
    ],
    running: [],
    max: 1,
    start: ['f1', 'f2', 'f3', 'n1'],
    stop: [],
  },
  {
    name: 'background jobs in priority order, then first come first served',
    jobs: [
      job('low1', 1, 'LOW'),
      job('norm2', 2, 'NORMAL'),
      job('high3', 3, 'HIGH'),
      job('norm4', 4, 'NORMAL'),
      job('high5', 5, 'HIGH'),
    ],
    running: [],
    max: 3,
    start: ['high3', 'high5', 'norm2'],
    stop: [],
  },
  {
    name: 'seq, not input order, breaks ties',
    jobs: [job('c', 30, 'NORMAL'), job('a', 10, 'NORMAL'), job('b', 20, 'NORMAL')],
    running: [],
    max: 2,
    start: ['a', 'b'],
    stop: [],
  },
  {
    name: 'a limit of 1 runs one background job',
    jobs: [job('n1', 1, 'NORMAL'), job('n2', 2, 'NORMAL')],
    running: [],
    max: 1,
    start: ['n1'],
    stop: [],
  },
  {
    name: 'running jobs that keep their slot are neither started nor stopped',
    jobs: [job('n1', 1, 'NORMAL', 'TRANSFERRING'), job('n2', 2, 'NORMAL', 'CONNECTING')],
    running: ['n1', 'n2'],
    max: 2,
    start: [],
    stop: [],
  },
  {
    name: 'a higher priority pre-empts a running lower one',
    jobs: [job('low1', 1, 'LOW', 'TRANSFERRING'), job('high2', 2, 'HIGH')],
    running: ['low1'],
    max: 1,
    start: ['high2'],
    stop: ['low1'],
  },
  {
    name: 'a shrunk limit stops the last comers',
    jobs: [
      job('n1', 1, 'NORMAL', 'TRANSFERRING'),
      job('n2', 2, 'NORMAL', 'TRANSFERRING'),
      job('n3', 3, 'NORMAL', 'TRANSFERRING'),
    ],
    running: ['n1', 'n2', 'n3'],
    max: 1,
    start: [],
    stop: ['n2', 'n3'],
  },
  {
    name: 'a running job that left the runnable states is stopped',
    jobs: [job('n1', 1, 'NORMAL', 'SUSPENDED'), job('n2', 2, 'NORMAL')],
    running: ['n1'],
    max: 3,
    start: ['n2'],
    stop: ['n1'],
  },
  {
    name: 'a running id with no job at all is stopped',
    jobs: [job('n1', 1, 'NORMAL')],
    running: ['gone'],
    max: 3,
    start: ['n1'],
    stop: ['gone'],
  },
  {
    name: 'non-runnable states are ignored and take no slot',
    jobs: [
      job('susp', 1, 'HIGH', 'SUSPENDED'),
      job('err', 2, 'HIGH', 'ERROR'),
      job('trans', 3, 'HIGH', 'TRANSIENT_ERROR'),
      job('done', 4, 'HIGH', 'TRANSFERRED'),
      job('ack', 5, 'FOREGROUND', 'ACKNOWLEDGED'),
      job('cxl', 6, 'FOREGROUND', 'CANCELLED'),
      job('fsusp', 7, 'FOREGROUND', 'SUSPENDED'),
      job('q', 8, 'LOW', 'QUEUED'),
      job('c', 9, 'LOW', 'CONNECTING'),
      job('t', 10, 'LOW', 'TRANSFERRING'),
    ],
    running: [],
    max: 3,
    start: ['q', 'c', 't'],
    stop: [],
  },
];

describe('planRuns', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const plan = planRuns(c.jobs, new Set(c.running as JobId[]), c.max);
      assert.deepEqual([...plan.start], c.start, 'start');
      assert.deepEqual([...plan.stop].sort(), [...c.stop].sort(), 'stop');
    });
  }

  it('accepts any iterable, e.g. a Map of jobs', () => {
    const jobs = new Map([
      ['b', job('b', 2, 'NORMAL')],
      ['a', job('a', 1, 'NORMAL')],
    ]);
    assert.deepEqual(planRuns(jobs.values(), new Set(), 1), { start: ['a'], stop: [] });
  });

  it('never wants more background jobs than the limit', () => {
    const priorities: readonly JobPriority[] = ['HIGH', 'NORMAL', 'LOW'];
    const jobs = Array.from({ length: 20 }, (_, i) =>
      job(`j${i}`, 20 - i, priorities[i % 3] ?? 'NORMAL'),
    );
    for (let max = 0; max <= 21; max++) {
      const plan = planRuns(jobs, new Set(), max);
      assert.equal(plan.start.length, Math.min(max, 20), `max ${max}`);
    }
  });
});

const A = 'a' as JobId;
const B = 'b' as JobId;

// On a fake clock (setTimeout and Date together): each step is exact, and nothing waits.
describe('JobTimers', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_700_000_000_000 });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it('fires at the given time', () => {
    const timers = new JobTimers();
    const fired: string[] = [];
    const start = Date.now();
    timers.set(A, 'retry', start + 30, () => fired.push('retry'));
    mock.timers.tick(10);
    assert.deepEqual(fired, []);
    mock.timers.tick(19);
    assert.deepEqual(fired, [], 'not a millisecond early');
    mock.timers.tick(1);
    assert.deepEqual(fired, ['retry']);
    timers.clearAll();
  });

  it('fires at once for a time in the past', () => {
    const timers = new JobTimers();
    let fired = 0;
    timers.set(A, 'retry', Date.now() - 1000, () => fired++);
    mock.timers.tick(0);
    assert.equal(fired, 1);
  });

  it('replaces a timer of the same job and kind', () => {
    const timers = new JobTimers();
    const fired: string[] = [];
    timers.set(A, 'retry', Date.now() + 20, () => fired.push('first'));
    timers.set(A, 'retry', Date.now() + 40, () => fired.push('second'));
    mock.timers.tick(90);
    assert.deepEqual(fired, ['second']);
  });

  it('keeps timers of other kinds and jobs apart', () => {
    const timers = new JobTimers();
    const fired: string[] = [];
    timers.set(A, 'retry', Date.now() + 20, () => fired.push('a:retry'));
    timers.set(A, 'giveUp', Date.now() + 20, () => fired.push('a:giveUp'));
    timers.set(B, 'retry', Date.now() + 20, () => fired.push('b:retry'));
    mock.timers.tick(70);
    assert.deepEqual(fired.sort(), ['a:giveUp', 'a:retry', 'b:retry']);
  });

  it('clears one kind, both kinds, or everything', () => {
    const timers = new JobTimers();
    const fired: string[] = [];
    const at = Date.now() + 20;
    timers.set(A, 'retry', at, () => fired.push('a:retry'));
    timers.set(A, 'giveUp', at, () => fired.push('a:giveUp'));
    timers.set(B, 'retry', at, () => fired.push('b:retry'));
    timers.set(B, 'giveUp', at, () => fired.push('b:giveUp'));
    timers.clear(A, 'retry');
    timers.clear(B);
    mock.timers.tick(70);
    assert.deepEqual(fired, ['a:giveUp']);

    timers.set(A, 'retry', Date.now() + 20, () => fired.push('late'));
    timers.set(B, 'giveUp', Date.now() + 20, () => fired.push('late'));
    timers.clearAll();
    mock.timers.tick(60);
    assert.deepEqual(fired, ['a:giveUp']);
  });

  it('clearing a job without timers is harmless', () => {
    const timers = new JobTimers();
    timers.clear(A);
    timers.clear(A, 'giveUp');
    timers.clearAll();
    // Harmless: the timers still work afterwards.
    const fired: string[] = [];
    timers.set(A, 'giveUp', Date.now() + 5, () => fired.push('a:giveUp'));
    mock.timers.tick(5);
    assert.deepEqual(fired, ['a:giveUp']);
  });

  it('can set a new timer from inside a firing one', () => {
    const timers = new JobTimers();
    const fired: string[] = [];
    timers.set(A, 'retry', Date.now() + 10, () => {
      fired.push('first');
      timers.set(A, 'retry', Date.now() + 10, () => fired.push('second'));
    });
    mock.timers.tick(10);
    assert.deepEqual(fired, ['first']);
    mock.timers.tick(10);
    assert.deepEqual(fired, ['first', 'second']);
  });

  it('re-arms in steps for a time past what one setTimeout can wait (24.8 days)', () => {
    const timers = new JobTimers();
    const fired: string[] = [];
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    timers.set(A, 'giveUp', Date.now() + thirtyDays, () => fired.push('giveUp'));
    mock.timers.tick(2 ** 31 - 1);
    assert.deepEqual(fired, [], 'not at the first step');
    mock.timers.tick(thirtyDays - (2 ** 31 - 1));
    assert.deepEqual(fired, ['giveUp']);
  });
});
