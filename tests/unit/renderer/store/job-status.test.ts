import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOB_STATES } from '../../../../app/model/job-state.js';
import {
  formatCountdown,
  isMoving,
  retryInSeconds,
  statusOf,
} from '../../../../renderer/store/job-status.js';
import { job } from '../job-fixture.js';

describe('job status: the window’s words for the nine states', () => {
  it('gives every state a status, all distinct but connecting/downloading', () => {
    const statuses = JOB_STATES.map(statusOf);
    assert.equal(new Set(statuses).size, JOB_STATES.length);
    assert.equal(statusOf('TRANSFERRED'), 'ready');
    assert.equal(statusOf('ACKNOWLEDGED'), 'done');
  });

  it('only a connecting or transferring download moves', () => {
    assert.deepEqual(
      JOB_STATES.filter((state) => isMoving({ state })),
      ['CONNECTING', 'TRANSFERRING'],
    );
  });

  it('counts down to the next retry of a retrying download only', () => {
    const times = { ...job(1).times, retryTime: 100_000 };
    const retrying = job(1, { state: 'TRANSIENT_ERROR', times });
    assert.equal(retryInSeconds(retrying, 100_000 - 272_000), 272);
    assert.equal(retryInSeconds(retrying, 100_500), 0, 'never negative');
    assert.equal(retryInSeconds(job(1, { state: 'ERROR', times }), 0), null);
    assert.equal(formatCountdown(272), '4:32');
    assert.equal(formatCountdown(3725), '1:02:05');
    assert.equal(formatCountdown(5), '0:05');
  });
});
