// The maximum download time and the inactivity rule on a fake clock: 90 days pass in no time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobFlavour, JobId, JobState } from '../../../app/index.js';
import { JobTimeLimits } from '../../../main/engine/time-limits.js';
import type { TimedJob } from '../../../main/engine/time-limits.js';
import { FakeClock } from '../../support/fake-clock.js';

const DAY = 24 * 60 * 60 * 1000;

interface TestJob extends TimedJob {
  state: JobState;
  maximumDownloadTime: number;
}

function setup(inactivityDays = 90) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const jobs: TestJob[] = [];
  const expired: JobId[] = [];
  const inactive: JobId[] = [];
  let timeout = (inactivityDays * DAY) / 1000;
  const limits = new JobTimeLimits({
    clock,
    inactivityTimeout: () => timeout,
    jobs: () => jobs,
    downloadTimeExpired: (id) => expired.push(id),
    inactive: (id) => {
      inactive.push(id);
      const job = jobs.find((j) => j.id === id);
      if (job !== undefined) {
        job.state = 'CANCELLED';
        limits.stateChanged(job);
      }
    },
  });
  let n = 0;
  const add = (flavour: JobFlavour = 'BITS', maxDays = 90): TestJob => {
    n++;
    const job: TestJob = {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` as JobId,
      flavour,
      state: 'SUSPENDED',
      maximumDownloadTime: (maxDays * DAY) / 1000,
      activeTime: 0,
      activeSince: null,
      lastActivity: clock.now(),
    };
    jobs.push(job);
    limits.track(job);
    return job;
  };
  const move = (job: TestJob, state: JobState) => {
    job.state = state;
    limits.stateChanged(job);
  };
  return {
    clock,
    limits,
    add,
    move,
    expired,
    inactive,
    setTimeout: (days: number) => {
      timeout = (days * DAY) / 1000;
      limits.settingChanged();
    },
  };
}

describe('maximum download time', () => {
  it('a job transferring for its whole limit expires at exactly that much active time', () => {
    const t = setup(0);
    const job = t.add('BITS', 90);
    t.move(job, 'QUEUED');
    t.move(job, 'CONNECTING');
    t.clock.advance(DAY);
    t.move(job, 'TRANSFERRING');
    t.clock.advance(89 * DAY - 1);
    assert.deepEqual(t.expired, []);
    t.clock.advance(1);
    assert.deepEqual(t.expired, [job.id]);
  });

  it('QUEUED and TRANSIENT_ERROR time does not count', () => {
    const t = setup(0);
    const job = t.add('BITS', 10);
    t.move(job, 'TRANSFERRING');
    t.clock.advance(6 * DAY);
    t.move(job, 'TRANSIENT_ERROR');
    t.clock.advance(30 * DAY);
    t.move(job, 'QUEUED');
    t.clock.advance(30 * DAY);
    assert.equal(t.limits.activeTimeOf(job), 6 * DAY);
    t.move(job, 'TRANSFERRING');
    t.clock.advance(4 * DAY - 1);
    assert.deepEqual(t.expired, []);
    t.clock.advance(1);
    assert.deepEqual(t.expired, [job.id]);
  });

  it('a DO job counts TRANSFERRING only (it never connects in CONNECTING)', () => {
    const t = setup(0);
    const bits = t.add('BITS', 5);
    const doJob = t.add('DO', 5);
    // A state a DO job never enters counts for nothing, should one be reported.
    t.move(bits, 'CONNECTING');
    t.move(doJob, 'CONNECTING');
    t.clock.advance(5 * DAY);
    assert.deepEqual(t.expired, [bits.id]);
    assert.equal(t.limits.activeTimeOf(doJob), 0);
  });

  it('Resume gives the whole time again', () => {
    const t = setup(0);
    const job = t.add('BITS', 10);
    t.move(job, 'TRANSFERRING');
    t.clock.advance(9 * DAY);
    t.move(job, 'SUSPENDED');
    t.limits.resumed(job);
    t.move(job, 'QUEUED');
    t.move(job, 'CONNECTING');
    t.clock.advance(9 * DAY);
    assert.deepEqual(t.expired, []);
    t.clock.advance(DAY);
    assert.deepEqual(t.expired, [job.id]);
  });

  it('a changed limit moves the running timer; 0 removes it', () => {
    const t = setup(0);
    const job = t.add('BITS', 90);
    t.move(job, 'TRANSFERRING');
    t.clock.advance(2 * DAY);
    job.maximumDownloadTime = DAY / 1000;
    t.limits.limitChanged(job);
    // Already past the new limit: it expires at once.
    t.clock.advance(0);
    assert.deepEqual(t.expired, [job.id]);
    const other = t.add('BITS', 1);
    t.move(other, 'TRANSFERRING');
    other.maximumDownloadTime = 0;
    t.limits.limitChanged(other);
    t.clock.advance(365 * DAY);
    assert.deepEqual(t.expired, [job.id]);
  });

  it('a job stopped by a crash counts its stint up to its last activity', () => {
    const t = setup(0);
    const job = t.add('BITS', 90);
    job.activeSince = t.clock.now() - 5 * DAY;
    job.lastActivity = t.clock.now() - 2 * DAY;
    job.state = 'QUEUED';
    t.limits.track(job);
    assert.equal(job.activeSince, null);
    assert.equal(job.activeTime, 3 * DAY);
  });
});

describe('inactivity', () => {
  it('a job untouched for 90 days is cancelled; a touch starts the 90 days again', () => {
    const t = setup(90);
    const idle = t.add();
    const used = t.add();
    t.limits.start();
    t.clock.advance(60 * DAY);
    t.limits.touched(used);
    t.clock.advance(30 * DAY - 1);
    assert.deepEqual(t.inactive, []);
    t.clock.advance(1);
    assert.deepEqual(t.inactive, [idle.id]);
    t.clock.advance(60 * DAY - 1);
    assert.deepEqual(t.inactive, [idle.id]);
    t.clock.advance(1);
    assert.deepEqual(t.inactive, [idle.id, used.id]);
  });

  it('final jobs are never cancelled again, and a job made later gets its own 90 days', () => {
    const t = setup(90);
    t.limits.start();
    t.clock.advance(50 * DAY);
    const late = t.add();
    const done = t.add();
    t.move(done, 'ACKNOWLEDGED');
    t.clock.advance(90 * DAY - 1);
    assert.deepEqual(t.inactive, []);
    t.clock.advance(1);
    assert.deepEqual(t.inactive, [late.id]);
  });

  it('the setting is live: 0 turns the rule off, a shorter one applies at once', () => {
    const t = setup(0);
    const job = t.add();
    t.limits.start();
    t.clock.advance(400 * DAY);
    assert.deepEqual(t.inactive, []);
    t.setTimeout(30);
    assert.deepEqual(t.inactive, [job.id]);
    const next = t.add();
    t.setTimeout(0);
    t.clock.advance(400 * DAY);
    assert.deepEqual(t.inactive, [job.id]);
    assert.equal(next.state, 'SUSPENDED');
  });

  it('close stops every timer', () => {
    const t = setup(90);
    const job = t.add('BITS', 1);
    t.limits.start();
    t.move(job, 'TRANSFERRING');
    t.limits.close();
    assert.equal(t.clock.pending, 0);
    t.clock.advance(200 * DAY);
    assert.deepEqual(t.expired, []);
    assert.deepEqual(t.inactive, []);
  });
});
