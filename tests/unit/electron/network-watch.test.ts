import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchNetwork } from '../../../main/electron/network-watch.js';

describe('watchNetwork', () => {
  it('reports only changes, at once for an offline start, on its clock', () => {
    let online = false;
    let tick: (() => void) | null = null;
    let stopped = false;
    const changes: boolean[] = [];
    const stop = watchNetwork(
      () => online,
      (value) => changes.push(value),
      {
        every: (_ms, fn) => {
          tick = fn;
          return () => {
            stopped = true;
          };
        },
      },
    );
    assert.deepEqual(changes, [false], 'offline at start is reported at once');
    const run = (): void => {
      assert.ok(tick !== null);
      tick();
    };
    run();
    online = true;
    run();
    run();
    online = false;
    run();
    assert.deepEqual(changes, [false, true, false]);
    stop();
    assert.equal(stopped, true);
  });
});
