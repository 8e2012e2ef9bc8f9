// Speed limits on the loopback server (unthrottled files): a job's own limit across all of its
// connections, a change while running, the global limit that holds FOREGROUND jobs too, the
// background limit that FOREGROUND jobs ignore, and the priority weights that share it. Bounds are generous: they prove a limit is applied, not
// how precisely.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import {
  makeTempDir,
  sleep,
  startEngine,
  waitFor,
  waitForState,
} from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const KiB = 1024;
const MiB = 1024 * KiB;

let server: TestServer;
let dir: TempDir;
let engine: Engine;
let n = 0;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  engine.setSettings({ connectionsPerFile: 4, minSegmentSize: 64 * KiB, maxConcurrentJobs: 4 });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

function bytes(job: Job): number {
  return job.info().progress.bytesTransferred;
}

async function job(
  size: number,
  priority: 'FOREGROUND' | 'HIGH' | 'NORMAL' | 'LOW',
  speedLimit = 0,
): Promise<Job> {
  n++;
  server.setFile(`/limit-${n}.bin`, { body: { size, seed: n } });
  const created = engine.createJob({ displayName: `limit-${n}`, priority });
  if (speedLimit > 0) await created.setTransferPolicy({ speedLimit });
  await created.addFile(server.url(`/limit-${n}.bin`), dir.file(`limit-${n}.bin`));
  return created;
}

/** Bytes a job receives in `ms` once it has started moving. */
async function rateOver(target: Job, ms: number): Promise<number> {
  await waitFor(() => bytes(target) > 0, 'the first bytes');
  const start = bytes(target);
  await sleep(ms);
  return ((bytes(target) - start) * 1000) / ms;
}

describe('speed limits', () => {
  it('a job limit holds across all its connections, and a change applies while running', async () => {
    const limited = await job(64 * MiB, 'FOREGROUND', 512 * KiB);
    await limited.resume();
    const slow = await rateOver(limited, 1000);
    assert.ok(slow < 1.5 * 512 * KiB, `limited to 512 KiB/s, measured ${Math.round(slow)}`);
    assert.ok(slow > 0.3 * 512 * KiB, `still moving: ${Math.round(slow)}`);
    await limited.setTransferPolicy({ speedLimit: 4 * MiB });
    await sleep(400);
    const fast = await rateOver(limited, 1000);
    assert.ok(
      fast > 2 * slow,
      `raised limit took effect: ${Math.round(fast)} vs ${Math.round(slow)}`,
    );
    assert.ok(fast < 1.5 * 4 * MiB, `still limited: ${Math.round(fast)}`);
    await limited.cancel();
  });

  it('the global speed limit holds a FOREGROUND job (what ferry transfer runs)', async () => {
    engine.setSettings({ speedLimit: 512 * KiB });
    try {
      const foreground = await job(64 * MiB, 'FOREGROUND');
      await foreground.resume();
      const rate = await rateOver(foreground, 1000);
      assert.ok(rate < 1.5 * 512 * KiB, `FOREGROUND held to the global limit: ${Math.round(rate)}`);
      await foreground.cancel();
    } finally {
      engine.setSettings({ speedLimit: 0 });
    }
  });

  it('FOREGROUND jobs ignore the background limit; background jobs share it', async () => {
    engine.setSettings({ backgroundSpeedLimit: 512 * KiB });
    try {
      const background = await job(64 * MiB, 'NORMAL');
      const foreground = await job(8 * MiB, 'FOREGROUND');
      await background.resume();
      await foreground.resume();
      await waitForState(foreground, 'TRANSFERRED', 5000);
      const rate = await rateOver(background, 1000);
      assert.ok(rate < 1.5 * 512 * KiB, `background limited: ${Math.round(rate)}`);
      await foreground.cancel();
      await background.cancel();
    } finally {
      engine.setSettings({ backgroundSpeedLimit: 0 });
    }
  });

  it('HIGH gets a larger share of the background limit than LOW', async () => {
    engine.setSettings({ backgroundSpeedLimit: 1 * MiB });
    try {
      const high = await job(64 * MiB, 'HIGH');
      const low = await job(64 * MiB, 'LOW');
      await high.resume();
      await low.resume();
      await waitFor(() => bytes(high) > 0 && bytes(low) > 0, 'both moving');
      await sleep(300);
      const [h0, l0] = [bytes(high), bytes(low)];
      await sleep(1500);
      const [h, l] = [bytes(high) - h0, bytes(low) - l0];
      assert.ok(h > 2 * l, `HIGH ${h} bytes vs LOW ${l} bytes (weights 4:1)`);
      assert.ok(h + l < 1.5 * 1.5 * MiB, `together within the limit: ${h + l}`);
      await high.cancel();
      await low.cancel();
    } finally {
      engine.setSettings({ backgroundSpeedLimit: 0 });
    }
  });
});
