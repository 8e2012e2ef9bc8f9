import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuitGate } from '../../../main/electron/quit-gate.js';

describe('QuitGate', () => {
  it('holds the quit while stopping, stops once, then lets it through', async () => {
    let stops = 0;
    let release: () => void = () => undefined;
    const stopped: unknown[] = [];
    const gate = new QuitGate(
      () => {
        stops++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      (error) => stopped.push(error),
    );
    assert.equal(gate.quitting, false);
    assert.equal(gate.request(), 'wait');
    assert.equal(gate.quitting, true);
    assert.equal(gate.request(), 'wait');
    assert.equal(stops, 1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(stopped, [null]);
    assert.equal(gate.request(), 'proceed');
  });

  it('lets the quit through after a failed stop, reporting the failure', async () => {
    const stopped: unknown[] = [];
    const gate = new QuitGate(
      () => Promise.reject(new Error('store busy')),
      (error) => stopped.push(error),
    );
    assert.equal(gate.request(), 'wait');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((stopped[0] as Error).message, 'store busy');
    assert.equal(gate.request(), 'proceed');
  });
});
