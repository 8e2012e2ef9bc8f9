import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_JOB_FLAVOUR,
  DO_RETRY_BACKOFF,
  backoffDelay,
  nextBackoffDelay,
} from '../../../app/model/job-flavour.js';

describe('job flavours', () => {
  it('a job is BITS unless created as DO', () => {
    assert.equal(DEFAULT_JOB_FLAVOUR, 'BITS');
  });

  it('the DO back-off starts at 60 s, doubles per error without progress, stops at 600 s', () => {
    const waits = [1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(DO_RETRY_BACKOFF, n));
    assert.deepEqual(waits, [60, 120, 240, 480, 600, 600, 600]);
  });

  it('counts before the first error as the first wait', () => {
    assert.equal(backoffDelay(DO_RETRY_BACKOFF, 0), 60);
    assert.equal(backoffDelay({ firstSeconds: 0.05, maxSeconds: 0.2 }, 3), 0.2);
  });

  it('the next wait is the first step after progress, else twice the last, capped', () => {
    assert.equal(nextBackoffDelay(DO_RETRY_BACKOFF, null), 60);
    assert.equal(nextBackoffDelay(DO_RETRY_BACKOFF, 60), 120);
    assert.equal(nextBackoffDelay(DO_RETRY_BACKOFF, 480), 600);
    assert.equal(nextBackoffDelay(DO_RETRY_BACKOFF, 600), 600);
    // A delay from elsewhere (a row from before) never starts the series below its first step.
    assert.equal(nextBackoffDelay(DO_RETRY_BACKOFF, 5), 60);
  });
});
