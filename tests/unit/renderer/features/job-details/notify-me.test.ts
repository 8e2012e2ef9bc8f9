import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotifyFlag } from '../../../../../app/model/notify-flags.js';
import {
  notifiesMe,
  withNotifyMe,
} from '../../../../../renderer/features/job-details/notify-me.js';

const { JOB_TRANSFERRED, JOB_ERROR, DISABLE, JOB_MODIFICATION, FILE_TRANSFERRED } = NotifyFlag;

describe('the "Notify me" toggle over notify flags', () => {
  it('is on while the job raises JobTransferred or JobError, off when DISABLE silences it', () => {
    assert.equal(notifiesMe(JOB_TRANSFERRED | JOB_ERROR), true);
    assert.equal(notifiesMe(JOB_ERROR), true);
    assert.equal(notifiesMe(JOB_MODIFICATION | FILE_TRANSFERRED), false);
    assert.equal(notifiesMe(JOB_TRANSFERRED | JOB_ERROR | DISABLE), false);
    assert.equal(notifiesMe(0), false);
  });

  it('sets both and lifts DISABLE when switched on; clears only those two when switched off', () => {
    assert.equal(
      withNotifyMe(DISABLE | JOB_MODIFICATION, true),
      JOB_TRANSFERRED | JOB_ERROR | JOB_MODIFICATION,
    );
    assert.equal(
      withNotifyMe(JOB_TRANSFERRED | JOB_ERROR | FILE_TRANSFERRED, false),
      FILE_TRANSFERRED,
    );
    for (const flags of [0, DISABLE, JOB_TRANSFERRED, JOB_ERROR | JOB_MODIFICATION]) {
      assert.equal(notifiesMe(withNotifyMe(flags, true)), true, `on from ${flags}`);
      assert.equal(notifiesMe(withNotifyMe(flags, false)), false, `off from ${flags}`);
    }
  });
});
