import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpeedMeter } from '../../../main/electron/speed-meter.js';
import { jobInfo } from './job-fixture.js';

const at = (n: number, bytes: number) => jobInfo(n, 'TRANSFERRING', { bytesTransferred: bytes });

describe('SpeedMeter', () => {
  it('is 0 before any progress', () => {
    const meter = new SpeedMeter(3000);
    assert.equal(meter.bytesPerSecond(0), 0);
    meter.sample([at(1, 500)], 0);
    assert.equal(meter.bytesPerSecond(0), 0);
  });

  it('averages the bytes every job gained over the window', () => {
    const meter = new SpeedMeter(3000);
    meter.sample([at(1, 0), at(2, 0)], 0);
    meter.sample([at(1, 1000), at(2, 500)], 1000);
    meter.sample([at(1, 2000), at(2, 1000)], 2000);
    assert.equal(meter.bytesPerSecond(2000), 1500);
  });

  it('forgets gains older than the window', () => {
    const meter = new SpeedMeter(3000);
    meter.sample([at(1, 0)], 0);
    meter.sample([at(1, 9000)], 1000);
    meter.sample([at(1, 9000)], 5000);
    assert.equal(meter.bytesPerSecond(5000), 0);
  });

  it('counts nothing for a new job, a job whose bytes went down, or a removed one', () => {
    const meter = new SpeedMeter(3000);
    meter.sample([at(1, 5000)], 0);
    meter.sample([at(1, 1000), at(2, 7000)], 1000);
    meter.sample([at(2, 7000)], 2000);
    meter.sample([at(1, 1000)], 3000);
    assert.equal(meter.bytesPerSecond(3000), 0);
  });
});
