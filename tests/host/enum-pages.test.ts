// jobs.enum one page at a time, so a client listing thousands of jobs never needs them all in
// one message: pages follow each other without gaps or repeats, and a stale cursor is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { makeTempDir, startEngine } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;

before(() => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: 'test' });
  for (let i = 0; i < 23; i++) engine.createJob({ displayName: `job ${String(i)}` });
});

after(async () => {
  host.close();
  await engine.close();
  dir.cleanup();
});

async function page(input: unknown): Promise<string[]> {
  const result = await host.invoke('jobs.enum', input);
  assert.ok(result.ok, JSON.stringify(result));
  return (result.value as { id: string }[]).map((job) => job.id);
}

describe('jobs.enum pages', () => {
  it('walks every job in pages of 10, in the same order as the whole listing', async () => {
    const whole = await page({});
    const walked: string[] = [];
    let last: string | undefined;
    for (;;) {
      const ids = await page({ limit: 10, ...(last === undefined ? {} : { after: last }) });
      walked.push(...ids);
      if (ids.length < 10) break;
      last = ids[ids.length - 1];
    }
    assert.equal(whole.length, 23);
    assert.deepEqual(walked, whole);
  });

  it('refuses a cursor that is not in the listing, and limits out of range', async () => {
    for (const input of [
      { after: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      { limit: 0 },
      { limit: 10_001 },
      { limit: 2.5 },
    ]) {
      const result = await host.invoke('jobs.enum', input);
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'INPUT_INVALID');
      assert.match(result.error.message, /after|limit/);
    }
  });
});
