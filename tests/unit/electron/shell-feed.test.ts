// The shell's own client (main/electron/shell-feed.ts) against hosts the test answers by hand:
// the subscribe-then-snapshot race and the snapshot retry, on a fake clock. The same feed
// against a real engine and host is tests/electron/shell-feed.test.ts.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { Envelope, EventName, JobsSnapshot } from '../../../app/index.js';
import type { HostEventSink } from '../../../main/electron/host-port.js';
import { ShellFeed } from '../../../main/electron/shell-feed.js';
import { waitFor } from '../../support/engine-harness.js';
import { jobInfo } from './job-fixture.js';

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
});
