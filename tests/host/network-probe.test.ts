// The headless server's network check (main/host/network-probe.ts) on a real engine: a job
// failing on the network with a host the resolver cannot answer for puts the engine offline
// (the job waits without spending retries), and the next passing check retries it at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { startNetworkProbe } from '../../main/host/network-probe.js';
import type { ProbeSystem } from '../../main/host/network-probe.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let server: TestServer;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

/** A system whose resolver and interfaces the test sets, and whose clock it ticks. */
function fakeSystem() {
  const state = {
    resolverUp: true,
    interfaces: true,
    looked: [] as string[],
    tick: null as (() => void) | null,
  };
  const system: ProbeSystem = {
    lookup: (host) => {
      state.looked.push(host);
      return state.resolverUp
        ? Promise.resolve({ address: '127.0.0.1' })
        : Promise.reject(
            Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: 'EAI_AGAIN' }),
          );
    },
    hasInterface: () => state.interfaces,
    every: (_ms, tick) => {
      state.tick = tick;
      return () => {
        state.tick = null;
      };
    },
  };
  return { state, system };
}

describe('network probe', () => {
  it('takes the engine offline when the resolver cannot answer, and back when it can', async () => {
    const { state, system } = fakeSystem();
    const stop = startNetworkProbe(engine, system);
    const file = {
      body: { size: 256 * 1024, seed: 4 },
      throttleBytesPerSec: 512 * 1024,
      dropAfterBytes: 32 * 1024,
      dropAfterBytesTimes: 1,
    };
    server.setFile('/drop.bin', file);
    state.resolverUp = false;
    const job = engine.createJob({ displayName: 'probe' });
    // By name, so the probe has a host to look up (the engine itself resolves localhost).
    await job.addFile(
      server.url('/drop.bin').replace('127.0.0.1', 'localhost'),
      dir.file('probe.bin'),
    );
    await job.setMinimumRetryDelay(0);
    await job.resume();
    await waitFor(() => !engine.transferConditions().online, 'the engine to go offline');
    assert.deepEqual([...new Set(state.looked)], ['localhost']);
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.equal(job.info().times.retryTime, null, 'no retry planned while offline');
    // Still no answer: stays offline.
    state.tick?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(engine.transferConditions().online, false);
    state.resolverUp = true;
    state.tick?.();
    await waitFor(() => engine.transferConditions().online, 'back online');
    assert.equal(state.tick, null, 'polling stopped');
    await waitForState(job, 'TRANSFERRED');
    assert.equal(job.info().errorCount, 1);
    stop();
  });

  it('does not call a refused IP-address host "offline", nor a resolver that answers', async () => {
    const { state, system } = fakeSystem();
    state.resolverUp = false;
    const stop = startNetworkProbe(engine, system);
    const job = engine.createJob({ displayName: 'refused' });
    await job.addFile('http://127.0.0.1:9/nothing', dir.file('refused.bin'));
    await job.setNoProgressTimeout(60);
    await job.resume();
    await waitForState(job, 'TRANSIENT_ERROR');
    assert.deepEqual(state.looked, [], 'an IP address is never looked up');
    assert.equal(engine.transferConditions().online, true);
    await job.cancel();
    stop();
  });
});
