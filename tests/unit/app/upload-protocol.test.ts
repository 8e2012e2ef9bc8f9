// The BITS upload protocol's header formats (app/upload-protocol.ts), parsed and written the
// same way by both ends, and the transition table's rule for upload jobs' Complete.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JOB_STATES, isAllowed, nextState } from '../../../app/index.js';
import {
  formatErrorCode,
  formatFragmentRange,
  isSessionId,
  parseErrorCode,
  parseFragmentRange,
  parseReceivedRange,
} from '../../../app/upload-protocol.js';

describe('upload protocol formats', () => {
  it('fragment ranges: inclusive ends on the wire, exclusive in Ferry; */0 for an empty file', () => {
    assert.equal(formatFragmentRange({ start: 0, end: 10, total: 10 }), 'bytes 0-9/10');
    assert.equal(formatFragmentRange({ start: 5, end: 6, total: 9 }), 'bytes 5-5/9');
    assert.equal(formatFragmentRange({ start: 0, end: 0, total: 0 }), 'bytes */0');
    for (const range of [
      { start: 0, end: 10, total: 10 },
      { start: 1_048_576, end: 2_097_152, total: 3_000_000 },
      { start: 0, end: 0, total: 0 },
    ]) {
      assert.deepEqual(parseFragmentRange(formatFragmentRange(range)), range);
    }
    assert.deepEqual(parseFragmentRange('Bytes 2-4/8'), { start: 2, end: 5, total: 8 });
    for (const bad of [
      undefined,
      '',
      'bytes 4-2/8',
      'bytes 0-8/8',
      'bytes */8',
      'bytes 0-1/*',
      'bytes -1-2/8',
      'items 0-1/8',
      'bytes 0-99999999999999999/999999999999999999',
    ]) {
      assert.equal(parseFragmentRange(bad), null, String(bad));
    }
  });

  it('BITS-Received-Content-Range is a plain offset', () => {
    assert.equal(parseReceivedRange('213'), 213);
    assert.equal(parseReceivedRange(' 0 '), 0);
    for (const bad of [undefined, '', '-1', '1.5', 'bytes 0-1', '12abc']) {
      assert.equal(parseReceivedRange(bad), null, String(bad));
    }
  });

  it('error codes: hex or (signed) decimal HRESULTs, written as 0x%08X', () => {
    assert.equal(parseErrorCode('0x8020001F'), 0x8020001f);
    assert.equal(parseErrorCode('0x8020001f'), 0x8020001f);
    assert.equal(parseErrorCode('-2145386465'), 0x8020001f);
    assert.equal(parseErrorCode('2149580831'), 0x8020001f);
    assert.equal(parseErrorCode('0x5'), 5);
    assert.equal(parseErrorCode('oops'), null);
    assert.equal(parseErrorCode(undefined), null);
    assert.equal(formatErrorCode(0x8020001f), '0x8020001F');
    assert.equal(formatErrorCode(5), '0x00000005');
  });

  it('session ids: visible ASCII, 1 to 100 characters', () => {
    assert.ok(isSessionId('{7df0354d-249b-430f-820d-3d2a9bef4931}'));
    assert.ok(!isSessionId(''));
    assert.ok(!isSessionId('a b'));
    assert.ok(!isSessionId('x'.repeat(101)));
  });
});

describe('transition table: upload jobs', () => {
  it('Complete only from TRANSFERRED; a download completes from every non-final state', () => {
    for (const type of ['UPLOAD', 'UPLOAD_REPLY'] as const) {
      for (const state of JOB_STATES) {
        assert.equal(
          isAllowed('complete', state, { type }),
          state === 'TRANSFERRED',
          `${type} Complete in ${state}`,
        );
      }
      assert.equal(nextState('complete', 'TRANSFERRED', { type }), 'ACKNOWLEDGED');
      // Every other method follows the flavour's table.
      assert.equal(nextState('resume', 'ERROR', { type }), 'QUEUED');
      assert.equal(nextState('cancel', 'TRANSFERRING', { type }), 'CANCELLED');
    }
    assert.equal(nextState('complete', 'ERROR', { type: 'DOWNLOAD' }), 'ACKNOWLEDGED');
    assert.equal(nextState('complete', 'ERROR'), 'ACKNOWLEDGED');
  });
});
