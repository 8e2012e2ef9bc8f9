import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStateLog, formatTime } from '../../../main/cli/format.js';

describe('formatStateLog', () => {
  it('is empty without entries, and one line per transition with time, state and cause', () => {
    assert.equal(formatStateLog([]), '');
    const at = Date.UTC(2026, 10, 30, 6, 0, 0);
    assert.equal(
      formatStateLog([
        { time: at, state: 'QUEUED', cause: 'system-suspend' },
        { time: at + 60_000, state: 'QUEUED', cause: 'system-resume' },
      ]),
      `\nstate log:\n  ${formatTime(at)}  QUEUED  system-suspend\n  ${formatTime(at + 60_000)}  QUEUED  system-resume`,
    );
  });
});
