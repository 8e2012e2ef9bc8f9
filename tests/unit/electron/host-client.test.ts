import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope, EventName } from '../../../app/index.js';
import { createHostClient } from '../../../main/electron/host-client.js';
import type { HostConnection, HostEventSink } from '../../../main/electron/host-port.js';
import { jobInfo } from './job-fixture.js';

/** A host that records subscriptions and callers, and whose events the test sends. */
function recordingHost() {
  const subscriptions: (readonly EventName[])[] = [];
  const callers: unknown[] = [];
  let sink: HostEventSink | null = null;
  let closed = 0;
  const connection: HostConnection = {
    subscribe: (events) => subscriptions.push(events),
    setNotifyInterface: () => undefined,
    close: () => closed++,
  };
  return {
    subscriptions,
    callers,
    connection,
    closed: () => closed,
    send: ((event, payload) => sink?.(event, payload)) as HostEventSink,
    host: {
      connect(send: HostEventSink) {
        sink = send;
        return connection;
      },
      invoke(command: unknown, _input: unknown, caller?: HostConnection) {
        callers.push(caller);
        return Promise.resolve<Envelope<unknown>>(
          command === 'jobs.clearHistory'
            ? { ok: true, value: { removed: 3 } }
            : {
                ok: false,
                error: { code: 'JOB_NOT_FOUND', context: 'GENERAL_QUEUE_MANAGER', message: 'gone' },
              },
        );
      },
    },
  };
}

describe('host client (the desktop shell as a FerryClient)', () => {
  it('subscribes to exactly the events that have listeners', () => {
    const r = recordingHost();
    const client = createHostClient(r.host);
    const offA = client.on('jobTransferred', () => undefined);
    const offB = client.on('jobError', () => undefined);
    offA();
    offB();
    assert.deepEqual(r.subscriptions, [
      ['jobTransferred'],
      ['jobTransferred', 'jobError'],
      ['jobError'],
      [],
    ]);
  });

  it('hands each event to its own listeners only', () => {
    const r = recordingHost();
    const client = createHostClient(r.host);
    const seen: string[] = [];
    client.on('jobTransferred', (p) => seen.push(`transferred ${p.job.displayName}`));
    client.on('jobError', (p) => seen.push(`error ${p.job.displayName}`));
    r.send('jobTransferred', { revision: 1, job: jobInfo(1, 'TRANSFERRED') });
    assert.deepEqual(seen, ['transferred job 1']);
  });

  it('runs commands as its own connection, and rethrows an error envelope', async () => {
    const r = recordingHost();
    const client = createHostClient(r.host);
    assert.deepEqual(await client.invoke('jobs.clearHistory', {}), { removed: 3 });
    await assert.rejects(client.invoke('job.get', { jobId: jobInfo(1, 'QUEUED').id }), {
      code: 'JOB_NOT_FOUND',
    });
    assert.deepEqual(r.callers, [r.connection, r.connection]);
  });

  it('is open from the start, and close ends its connection', () => {
    const r = recordingHost();
    const client = createHostClient(r.host);
    const states: string[] = [];
    client.onConnection((state) => states.push(state));
    assert.deepEqual(states, ['open']);
    client.close();
    assert.equal(r.closed(), 1);
  });
});
