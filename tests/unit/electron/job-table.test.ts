import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobDetails } from '../../../app/index.js';
import { JobTable } from '../../../main/electron/job-table.js';
import { jobId, jobInfo } from './job-fixture.js';

const details = (n: number): JobDetails => ({ ...jobInfo(n, 'SUSPENDED'), files: [], errors: [] });

describe('JobTable', () => {
  it('applies a snapshot, then batches newer than it', () => {
    const table = new JobTable();
    table.applySnapshot({ revision: 5, jobs: [details(1), details(2)] });
    assert.equal(
      table.applyBatch({ revision: 5, changed: [jobInfo(1, 'QUEUED')], added: [], removed: [] }),
      false,
    );
    assert.equal(
      table.applyBatch({
        revision: 6,
        changed: [jobInfo(1, 'TRANSFERRING')],
        added: [details(3)],
        removed: [jobId(2)],
      }),
      true,
    );
    const states = Object.fromEntries(table.list().map((j) => [j.displayName, j.state]));
    assert.deepEqual(states, { 'job 1': 'TRANSFERRING', 'job 3': 'SUSPENDED' });
  });

  it('replaces everything on a new snapshot', () => {
    const table = new JobTable();
    table.applySnapshot({ revision: 1, jobs: [details(1)] });
    table.applySnapshot({ revision: 9, jobs: [details(2)] });
    assert.deepEqual(
      table.list().map((j) => j.id),
      [jobId(2)],
    );
  });
});
