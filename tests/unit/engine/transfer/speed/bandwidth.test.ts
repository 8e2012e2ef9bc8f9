// The engine's speed limits as a running job sees them (BandwidthManager): the user's global
// limit holds every job, FOREGROUND included (`ferry transfer` runs FOREGROUND), and the
// BITS-style background limit holds only background priorities, shared by weight. Limits are
// read through `limited()` and the pause `take()` asks for, so nothing here sleeps.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineSettings, JobPriority } from '../../../../../app/index.js';
import { DEFAULT_ENGINE_SETTINGS, DEFAULT_TRANSFER_POLICY } from '../../../../../app/index.js';
import { BandwidthManager } from '../../../../../main/engine/transfer/speed/bandwidth.js';
import type { ThrottledJob } from '../../../../../main/engine/transfer/speed/bandwidth.js';

const KiB = 1024;
const MiB = 1024 * KiB;

let managers: BandwidthManager[] = [];
afterEach(() => {
  for (const manager of managers) manager.stop();
  managers = [];
});

function manager(patch: Partial<EngineSettings>): BandwidthManager {
  const settings: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, ...patch };
  const made = new BandwidthManager(() => settings);
  managers.push(made);
  return made;
}

function job(priority: JobPriority, speedLimit = 0): ThrottledJob {
  return { priority, transferPolicy: { ...DEFAULT_TRANSFER_POLICY, speedLimit } };
}

/** Seconds a job is asked to pause after taking `bytes` at once: about bytes / its rate. */
function pauseFor(throttle: { take(bytes: number): number }, bytes: number): number {
  return throttle.take(bytes) / 1000;
}

describe('BandwidthManager', () => {
  it('applies the global speed limit to a FOREGROUND job', () => {
    const foreground = manager({ speedLimit: 512 * KiB }).register(job('FOREGROUND'));
    assert.equal(foreground.limited(), true);
    const seconds = pauseFor(foreground, 10 * MiB);
    assert.ok(seconds > 15 && seconds <= 20, `10 MiB at 512 KiB/s pauses ~20 s, got ${seconds}`);
  });

  it('shares the global limit between every running job, FOREGROUND weighted highest', () => {
    const bandwidth = manager({ speedLimit: 1500 * KiB });
    const foreground = bandwidth.register(job('FOREGROUND'));
    const low = bandwidth.register(job('LOW'));
    const fg = pauseFor(foreground, 10 * MiB);
    const lo = pauseFor(low, 10 * MiB);
    assert.ok(lo > 4 * fg, `LOW pauses longer than FOREGROUND: ${lo} vs ${fg}`);
    // Together they stay within the limit: 10 MiB each at rates adding up to 1500 KiB/s.
    const total = (10 * MiB) / fg + (10 * MiB) / lo;
    assert.ok(total <= 1500 * KiB * 1.05, `rates add up to the limit: ${total}`);
  });

  it('keeps FOREGROUND jobs out of the background limit, which background jobs share', () => {
    const bandwidth = manager({ backgroundSpeedLimit: 256 * KiB });
    const foreground = bandwidth.register(job('FOREGROUND'));
    const normal = bandwidth.register(job('NORMAL'));
    assert.equal(foreground.limited(), false);
    assert.equal(normal.limited(), true);
    const seconds = pauseFor(normal, 10 * MiB);
    assert.ok(seconds > 35 && seconds <= 40, `10 MiB at 256 KiB/s pauses ~40 s, got ${seconds}`);
  });

  it('holds a background job to the lower of the global and background limits', () => {
    const bandwidth = manager({ speedLimit: 4 * MiB, backgroundSpeedLimit: 512 * KiB });
    const normal = bandwidth.register(job('NORMAL'));
    const foreground = bandwidth.register(job('FOREGROUND'));
    const bg = pauseFor(normal, 10 * MiB);
    assert.ok(bg > 15 && bg <= 20, `background held to 512 KiB/s: ${bg}`);
    // What the background job cannot use of the global limit goes to the FOREGROUND job.
    const fg = pauseFor(foreground, 10 * MiB);
    assert.ok(fg > 2.6 && fg <= 3, `FOREGROUND gets the other 3.5 MiB/s: ${fg}`);
  });

  it('lets a job run unlimited when neither limit is set', () => {
    const bandwidth = manager({});
    const foreground = bandwidth.register(job('FOREGROUND'));
    const low = bandwidth.register(job('LOW'));
    assert.equal(foreground.limited(), false);
    assert.equal(low.limited(), false);
    assert.equal(low.take(10 * MiB), 0);
  });

  it('applies a change of the global limit to a running FOREGROUND job at refresh', () => {
    let settings: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS };
    const bandwidth = new BandwidthManager(() => settings);
    managers.push(bandwidth);
    const foreground = bandwidth.register(job('FOREGROUND'));
    assert.equal(foreground.limited(), false);
    settings = { ...settings, speedLimit: MiB };
    bandwidth.refresh();
    assert.equal(foreground.limited(), true);
  });
});
