// The shell's own client against a real engine and host on a temp data dir and a loopback
// file server: what the tray reads and what raises notifications.
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import type { Envelope, EventName, JobsSnapshot } from '../../app/index.js';
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
import type { HostEventSink } from '../../main/electron/host-port.js';
import { jobInfo } from '../unit/electron/job-fixture.js';

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
  // Guards against a batch that arrives while the snapshot is on its way being applied first
  // and then wiped by the (older) snapshot: the job it added was missing from the tray.
  it('keeps a batch newer than the snapshot that arrived before the snapshot', async () => {
    let sink: HostEventSink | null = null;
    let answer: ((envelope: Envelope<unknown>) => void) | null = null;
    const fakeHost = {
      connect(send: HostEventSink) {
        sink = send;
        return {
          subscribe: (_events: readonly EventName[]) => undefined,
          setNotifyInterface: () => undefined,
          close: () => undefined,
        };
      },
      invoke: (command: unknown) => {
        if (command === 'jobs.setNotifyInterface') {
          return Promise.resolve<Envelope<unknown>>({ ok: true, value: { registered: true } });
        }
        if (command === 'engine.info') {
          return Promise.resolve<Envelope<unknown>>({ ok: true, value: { user: 'tester' } });
        }
        return new Promise<Envelope<unknown>>((resolve) => {
          answer = resolve;
        });
      },
    };
    const feed = new ShellFeed(fakeHost, {
      onJobsChanged: () => undefined,
      onNotifyingEvent: () => undefined,
      onError: (error) => {
        throw error;
      },
    });
    const started = feed.start();
    await waitFor(() => answer !== null, 'the snapshot request');
    const send = sink as HostEventSink | null;
    const reply = answer as ((envelope: Envelope<unknown>) => void) | null;
    assert.ok(send !== null && reply !== null, 'subscribed and asked for the snapshot');
    const early = jobInfo(1, 'QUEUED');
    send('jobsChanged', {
      revision: 6,
      changed: [],
      added: [{ ...early, files: [], errors: [] }],
      removed: [],
    });
    send('jobsChanged', { revision: 5, changed: [jobInfo(2, 'QUEUED')], added: [], removed: [] });
    reply({ ok: true, value: { revision: 5, jobs: [] } satisfies JobsSnapshot });
    await started;
    assert.deepEqual(
      feed.list().map((j) => j.id),
      [early.id],
      'the newer batch survives; the one the snapshot contains is skipped',
    );
  });

  // The shell's own table lacked the mirror's retry: a snapshot the host failed left the tray
  // empty for the session. It now keeps its jobs with the shared mirror, which asks again.
  it('asks again for a snapshot the host failed', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const snapshots: string[] = [];
      const fakeHost = {
        connect: () => ({
          subscribe: () => undefined,
          setNotifyInterface: () => undefined,
          close: () => undefined,
        }),
        invoke: (command: unknown): Promise<Envelope<unknown>> => {
          if (command === 'jobs.setNotifyInterface') {
            return Promise.resolve({ ok: true, value: { registered: true } });
          }
          if (command === 'engine.info') {
            return Promise.resolve({ ok: true, value: { user: 'tester' } });
          }
          snapshots.push(String(command));
          return Promise.resolve(
            snapshots.length === 1
              ? {
                  ok: false,
                  error: { code: 'INTERNAL', context: 'UNKNOWN', message: 'Internal error: busy' },
                }
              : {
                  ok: true,
                  value: {
                    revision: 1,
                    jobs: [{ ...jobInfo(4, 'QUEUED'), files: [], errors: [] }],
                  },
                },
          );
        },
      };
      let changes = 0;
      const feed = new ShellFeed(fakeHost, {
        onJobsChanged: () => changes++,
        onNotifyingEvent: () => undefined,
        onError: (error) => {
          throw error;
        },
      });
      const started = feed.start();
      // The fake host answers at once: a few turns of the microtask queue reach the snapshot.
      for (let i = 0; i < 50 && snapshots.length === 0; i++) await Promise.resolve();
      assert.equal(snapshots.length, 1, 'the first snapshot request');
      for (let i = 0; i < 50; i++) await Promise.resolve();
      assert.equal(changes, 0);
      mock.timers.tick(500);
      await started;
      assert.deepEqual(snapshots, ['jobs.snapshot', 'jobs.snapshot']);
      assert.deepEqual(
        feed.list().map((j) => j.id),
        [jobInfo(4, 'QUEUED').id],
      );
      feed.close();
    } finally {
      mock.timers.reset();
    }
  });

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
