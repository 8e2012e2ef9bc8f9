// Guards against a refused add (a file or setting the host rejects after the job was created)
// leaving a CANCELLED job in history: the add dialog must change nothing when it fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost, createLocalClient } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { addDownloads, checksumText } from '../../renderer/features/add-job/add-downloads.js';
import { makeTempDir, startEngine } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;

before(() => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: 'test' });
});

after(async () => {
  host.close();
  await engine.close();
  dir.cleanup();
});

describe('addDownloads', () => {
  it('leaves no job, live or in history, when the host refuses part of the add', async () => {
    const client = createLocalClient(host);
    const before = await client.invoke('jobs.enum', { allUsers: true, includeHistory: true });
    await assert.rejects(
      addDownloads(client, {
        // A file: URL needs no server and no probe; 999 connections is refused by the schema.
        lines: [`file://${dir.file('source.bin')}`],
        folder: dir.path,
        priority: 'NORMAL',
        connections: 999,
        startNow: false,
        nameFor: (first) => first,
      }),
      (error: unknown) => (error as { code?: unknown }).code === 'INPUT_INVALID',
    );
    const afterAdd = await client.invoke('jobs.enum', { allUsers: true, includeHistory: true });
    assert.deepEqual(
      afterAdd.map((job) => job.id),
      before.map((job) => job.id),
    );
  });

  it("gives the one file the dialog's checksum and the job the dialog's login", async () => {
    const client = createLocalClient(host);
    const hex = 'a'.repeat(64);
    const result = await addDownloads(client, {
      lines: [`file://${dir.file('one.bin')}`],
      folder: dir.path,
      priority: 'NORMAL',
      connections: null,
      startNow: false,
      credentials: { userName: 'alice', password: 'dialog-secret' },
      ...checksumText(hex),
      nameFor: (first) => first,
    });
    const job = await client.invoke('job.get', { jobId: result.jobIds[0] ?? '' });
    assert.deepEqual(job.files[0]?.validation.digest, {
      algorithm: 'sha-256',
      hex,
      source: 'user',
    });
    assert.deepEqual(job.credentials, [
      { target: 'SERVER', scheme: 'BASIC', userName: 'alice' },
      { target: 'SERVER', scheme: 'DIGEST', userName: 'alice' },
    ]);
    assert.ok(!JSON.stringify(job).includes('dialog-secret'));
    assert.deepEqual(checksumText('  '), {});
    assert.deepEqual(checksumText('md5:abc'), { digest: 'md5:abc' });
    assert.deepEqual(checksumText(' https://h/SHA256SUMS '), {
      checksumUrl: 'https://h/SHA256SUMS',
    });
  });
});
