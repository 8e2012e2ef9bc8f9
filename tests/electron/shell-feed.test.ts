// The shell's own client against a real engine and host on a temp data dir and a loopback
// file server: what the tray reads and what raises notifications. Its race and retry against
// hand-driven hosts are in tests/unit/electron/shell-feed.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { runCommand } from '../../main/electron/host-port.js';
import type { NotifyingEvent } from '../../main/electron/notification-text.js';
import { notificationFor } from '../../main/electron/notification-text.js';
import { ShellFeed } from '../../main/electron/shell-feed.js';
import { jobsToResume, jobsToSuspend } from '../../main/electron/tray-text.js';
import { makeTempDir, startEngine, waitFor } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let server: TestServer;

before(async () => {
  server = await startTestServer();
  server.setFile('/ok.txt', { body: Buffer.from('hello ferry') });
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'desktop', version: 'test', batchIntervalMs: 20 });
});

after(async () => {
  host.close();
  await engine.close();
  await server.close();
  dir.cleanup();
});

describe('ShellFeed', () => {
  it('loads the snapshot, follows batches and hands on transferred and error events', async () => {
    const before = await runCommand(host, 'job.create', { displayName: 'before start' });
    const events: NotifyingEvent[] = [];
    let changes = 0;
    const feed = new ShellFeed(host, {
      onJobsChanged: () => changes++,
      onNotifyingEvent: (event) => events.push(event),
      onError: (error) => {
        throw error;
      },
    });
    await feed.start();
    assert.deepEqual(
      feed.list().map((j) => j.id),
      [before.id],
    );
    assert.equal(changes, 1);
    // An empty SUSPENDED job is not offered to "Resume all" (Resume would refuse it).
    assert.deepEqual(jobsToResume(feed.list()), []);

    const ok = await runCommand(host, 'job.create', { displayName: 'ok' });
    await runCommand(host, 'job.addFile', {
      jobId: ok.id,
      remoteUrl: server.url('/ok.txt'),
      localName: dir.file('ok.txt'),
    });
    await waitFor(
      () => feed.list().find((j) => j.id === ok.id)?.progress.filesTotal === 1,
      'the added job with its file in the table',
    );
    assert.deepEqual(
      jobsToResume(feed.list()).map((j) => j.id),
      [ok.id],
    );
    await runCommand(host, 'job.resume', { jobId: ok.id });

    const missing = await runCommand(host, 'job.create', { displayName: 'missing' });
    await runCommand(host, 'job.addFile', {
      jobId: missing.id,
      remoteUrl: server.url('/missing.bin'),
      localName: dir.file('missing.bin'),
    });
    await runCommand(host, 'job.resume', { jobId: missing.id });

    await waitFor(() => events.length >= 2, 'jobTransferred and jobError');
    const transferred = events.find((e) => e.event === 'jobTransferred');
    const failed = events.find((e) => e.event === 'jobError');
    assert.equal(transferred?.payload.job.id, ok.id);
    assert.equal(failed?.payload.job.id, missing.id);
    assert.equal(
      notificationFor(transferred as NotifyingEvent, [], { notifications: true, language: 'en' })
        ?.jobId,
      ok.id,
    );

    await waitFor(
      () => feed.list().find((j) => j.id === ok.id)?.state === 'TRANSFERRED',
      'the table to show TRANSFERRED',
    );
    assert.deepEqual(jobsToSuspend(feed.list()), []);

    // Bounded: a job that goes to history leaves the shell's list (the old table kept it).
    await runCommand(host, 'job.complete', { jobId: ok.id });
    await runCommand(host, 'job.cancel', { jobId: missing.id });
    await waitFor(
      () => feed.list().every((j) => j.id !== ok.id && j.id !== missing.id),
      'the acknowledged and cancelled jobs to leave the list',
    );
    assert.deepEqual(
      feed.list().map((j) => j.id),
      [before.id],
    );
    feed.close();
  });
});
