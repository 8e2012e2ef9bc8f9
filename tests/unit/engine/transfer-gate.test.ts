import { describe, it } from 'node:test';
import type { JobId } from '../../../app/index.js';
import assert from 'node:assert/strict';
import {
  TransferGate,
  isHoldCause,
  shiftedNoProgressSince,
} from '../../../main/engine/transfer-gate.js';

describe('TransferGate', () => {
  it('holds while any cause is set and reports the first hold and the last release', () => {
    const gate = new TransferGate();
    assert.equal(gate.canStart(), true);
    assert.equal(gate.hold('system-suspend'), true);
    assert.equal(gate.hold('screen-locked'), false);
    assert.equal(gate.canStart(), false);
    gate.noteHeld('system-suspend', 'job-a' as JobId);
    assert.deepEqual(gate.release('system-suspend'), { last: false, jobs: ['job-a'] });
    assert.deepEqual(
      gate.release('system-suspend'),
      { last: false, jobs: [] },
      'releasing twice is no last release',
    );
    assert.deepEqual(gate.release('screen-locked'), { last: true, jobs: [] });
    assert.equal(gate.canStart(), true);
  });

  it('waits for the network only for network failures, and only while offline', () => {
    const gate = new TransferGate();
    assert.equal(gate.waitsForNetwork('NET_DNS_FAILURE'), false);
    assert.equal(gate.goOffline(1000), true);
    assert.equal(gate.goOffline(2000), false);
    assert.equal(gate.canStart(), false);
    for (const code of ['NET_DNS_FAILURE', 'NET_TIMEOUT', 'HTTP_LENGTH_MISMATCH']) {
      assert.equal(gate.waitsForNetwork(code), true, code);
    }
    for (const code of ['HTTP_NOT_FOUND', 'DISK_FULL', 'HTTP_SERVER_ERROR']) {
      assert.equal(gate.waitsForNetwork(code), false, code);
    }
    assert.equal(gate.goOnline(), 1000, 'offline since the first report');
    assert.equal(gate.goOnline(), null);
  });

  it('checks hold causes', () => {
    assert.equal(isHoldCause('session-end'), true);
    assert.equal(isHoldCause('lunch'), false);
    assert.equal(isHoldCause(undefined), false);
  });
});

describe('shiftedNoProgressSince', () => {
  it('does not count the offline period towards the no-progress timeout', () => {
    // Stalled at 100, offline from 200 to 500: 300 ms of outage do not count.
    assert.equal(shiftedNoProgressSince(100, 200, 500), 400);
    // Stalled during the outage (at 300): only the outage after it is removed.
    assert.equal(shiftedNoProgressSince(300, 200, 500), 500);
    assert.equal(shiftedNoProgressSince(null, 200, 500), null);
  });
});
