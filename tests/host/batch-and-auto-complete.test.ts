// jobs.batch and the host's auto-complete, through the host as a shell calls it.
//
// Regression: the window used to send one job.resume per selected row, which overflowed the
// client's 256 in-flight commands and resumed only 220–490 of 2,000 jobs per click, silently.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { JobDetails, JobsBatchOutput } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let files: TestServer;

before(async () => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
  files = await startTestServer();
  files.setFile('/a.bin', { body: { size: 50_000, seed: 1 } });
});

after(async () => {
  host.close();
  await engine.close();
  await files.close();
  dir.cleanup();
});

async function call(command: string, input: unknown): Promise<unknown> {
  const envelope = await host.invoke(command, input);
  if (!envelope.ok) throw new Error(`${command} failed: ${envelope.error.message}`);
  return envelope.value;
}

async function suspendedJob(name: string, url = 'http://127.0.0.1:9/never.bin'): Promise<string> {
  const job = (await call('job.create', { displayName: name })) as JobDetails;
  await call('job.addFile', { jobId: job.id, remoteUrl: url, localName: dir.file(`${name}.bin`) });
  return job.id;
}

describe('jobs.batch', () => {
  it('resumes every job named, in one command, and reports each refusal', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 300; i += 1) ids.push(await suspendedJob(`batch-${String(i)}`));
    const final = await suspendedJob('batch-final');
    await call('job.cancel', { jobId: final });

    const result = (await call('jobs.batch', {
      action: 'suspend',
      jobIds: [...ids, final],
    })) as JobsBatchOutput;
    assert.equal(result.requested, 301);
    assert.equal(result.done, 300);
    assert.deepEqual(
      result.failed.map((f) => [f.jobId, f.error.code]),
      [[final, 'JOB_INVALID_STATE']],
    );

    // Nothing listens on port 9: every job leaves SUSPENDED for a queue or an error state.
    const resumed = (await call('jobs.batch', {
      action: 'resume',
      jobIds: ids,
    })) as JobsBatchOutput;
    assert.deepEqual([resumed.done, resumed.failed.length], [300, 0]);
    assert.equal(
      ids.filter((id) => engine.getJob(id).getState() === 'SUSPENDED').length,
      0,
      'no job left suspended',
    );
    await call('jobs.batch', { action: 'suspend', jobIds: ids });
  });

  it('moves priority one step, and removes jobs from list and history', async () => {
    const id = await suspendedJob('mover');
    await call('jobs.batch', { action: 'moveUp', jobIds: [id] });
    assert.equal(engine.getJob(id).getPriority(), 'HIGH');
    await call('jobs.batch', { action: 'moveUp', jobIds: [id] });
    assert.equal(engine.getJob(id).getPriority(), 'HIGH', 'up stops below FOREGROUND');
    await call('jobs.batch', { action: 'moveDown', jobIds: [id, id] });
    assert.equal(engine.getJob(id).getPriority(), 'NORMAL', 'a repeated id counts once');

    const removed = (await call('jobs.batch', {
      action: 'remove',
      jobIds: [id],
    })) as JobsBatchOutput;
    assert.equal(removed.done, 1);
    assert.equal(
      engine.history().some((j) => j.id === id),
      false,
    );
    assert.equal(
      engine.enumJobs().some((j) => j.getId() === id),
      false,
    );
  });

  it('refuses a bad action without touching any job', async () => {
    const id = await suspendedJob('untouched');
    const envelope = await host.invoke('jobs.batch', { action: 'pause', jobIds: [id] });
    assert.equal(envelope.ok ? 'accepted' : envelope.error.code, 'INPUT_INVALID');
    assert.equal(engine.getJob(id).getState(), 'SUSPENDED');
  });
});

describe('auto-complete', () => {
  it('completes a job that asks for it as soon as it transfers; others wait for Complete', async () => {
    const auto = await suspendedJob('auto', files.url('/a.bin'));
    const manual = await suspendedJob('manual', files.url('/a.bin?n=2'));
    await call('job.setTransferPolicy', { jobId: auto, completeWhenTransferred: true });
    await call('job.resume', { jobId: auto });
    await call('job.resume', { jobId: manual });

    await waitForState(engine.getJob(auto), 'ACKNOWLEDGED');
    assert.ok(existsSync(dir.file('auto.bin')), 'the file is at its final name');
    await waitForState(engine.getJob(manual), 'TRANSFERRED');
    assert.equal(existsSync(dir.file('manual.bin')), false, 'explicit Complete still needed');

    // Removing a completed download can delete its file too.
    const removed = (await call('jobs.batch', {
      action: 'remove',
      jobIds: [auto],
      deleteFiles: true,
    })) as JobsBatchOutput;
    assert.equal(removed.done, 1);
    await waitFor(() => !existsSync(dir.file('auto.bin')), 'the file deleted');
  });

  it('leaves jobs TRANSFERRED while the completeWhenDone setting is off', async () => {
    await call('settings.set', { app: { completeWhenDone: false } });
    try {
      const id = await suspendedJob('held', files.url('/a.bin?n=3'));
      await call('job.setTransferPolicy', { jobId: id, completeWhenTransferred: true });
      await call('job.resume', { jobId: id });
      await waitForState(engine.getJob(id), 'TRANSFERRED');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(engine.getJob(id).getState(), 'TRANSFERRED');
    } finally {
      await call('settings.set', { app: { completeWhenDone: true } });
    }
  });
});
