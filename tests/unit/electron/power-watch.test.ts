import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HoldCause } from '../../../main/engine/index.js';
import { powerEventHandler } from '../../../main/electron/power-watch.js';

function recordingHolds() {
  const calls: string[] = [];
  return {
    calls,
    holds: {
      holdTransfers: (cause: HoldCause) => {
        calls.push(`hold ${cause}`);
        return Promise.resolve();
      },
      releaseTransfers: (cause: HoldCause) => {
        calls.push(`release ${cause}`);
      },
    },
  };
}

const noError = (error: unknown): void => {
  throw error;
};

describe('powerEventHandler', () => {
  it('holds on suspend and session end, releases on resume', () => {
    const { calls, holds } = recordingHolds();
    const handle = powerEventHandler(holds, () => ({ pauseOnLock: false }), noError);
    handle('suspend');
    handle('resume');
    handle('session-end');
    assert.deepEqual(calls, ['hold system-suspend', 'release system-suspend', 'hold session-end']);
  });

  it('holds on lock only with "pause on lock", and always releases on unlock', () => {
    let pauseOnLock = false;
    const { calls, holds } = recordingHolds();
    const handle = powerEventHandler(holds, () => ({ pauseOnLock }), noError);
    handle('lock-screen');
    handle('unlock-screen');
    pauseOnLock = true;
    handle('lock-screen');
    handle('unlock-screen');
    assert.deepEqual(calls, [
      'release screen-locked',
      'hold screen-locked',
      'release screen-locked',
    ]);
  });

  it('reports a hold the engine refuses', async () => {
    const errors: unknown[] = [];
    const handle = powerEventHandler(
      {
        holdTransfers: () => Promise.reject(new Error('engine closed')),
        releaseTransfers: () => undefined,
      },
      () => ({ pauseOnLock: true }),
      (error) => errors.push(error),
    );
    handle('suspend');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 1);
  });
});
