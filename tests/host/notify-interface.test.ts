// The notify interface over the contract (app/notify-interface.ts): a client registers for a
// job's callbacks and receives exactly what the job's notify flags allow, JobModification
// coalesced to the minimum notification interval and always sent on a state change, and the
// registration ends with the client's link.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventName, EventPayloads, JobId, JobState } from '../../app/index.js';
import { NotifyFlag } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost, createLocalClient } from '../../main/host/index.js';
import type { EngineHost, LocalClient } from '../../main/host/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const INTERVAL_MS = 150;
const CALLBACKS = ['jobTransferred', 'jobError', 'jobModification', 'fileTransferred'] as const;

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let server: TestServer;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir, { notificationIntervalMs: INTERVAL_MS });
  host = createEngineHost({ engine, host: 'server', version: 'test' });
  server.setFile('/slow.bin', {
    body: { size: 1024 * 1024, seed: 3 },
    throttleBytesPerSec: 1024 * 1024,
  });
  server.setFile('/a.txt', { body: Buffer.from('a') });
  server.setFile('/b.txt', { body: Buffer.from('bb') });
});

after(async () => {
  host.close();
  await engine.close();
  await server.close();
  dir.cleanup();
});

interface Seen {
  readonly event: EventName;
  readonly jobId: JobId;
  readonly state: JobState;
  readonly at: number;
}

/** A client listening to the four callbacks, recording those about any job. */
function listeningClient(): { client: LocalClient; seen: Seen[] } {
  const client = createLocalClient(host);
  const seen: Seen[] = [];
  for (const event of CALLBACKS) {
    client.on(event, (payload: EventPayloads[typeof event]) => {
      seen.push({ event, jobId: payload.job.id, state: payload.job.state, at: Date.now() });
    });
  }
  return { client, seen };
}

/** A SUSPENDED job with the given files and flags. */
async function newJob(name: string, paths: readonly string[], flags: number): Promise<JobId> {
  const job = engine.createJob({ displayName: name });
  for (const path of paths)
    await job.addFile(server.url(path), dir.file(`${name}-${path.slice(1)}`));
  await job.setNotifyFlags(flags);
  return job.getId();
}

const eventsOf = (seen: readonly Seen[], id: JobId): EventName[] => [
  ...new Set(seen.filter((s) => s.jobId === id).map((s) => s.event)),
];

describe('notify interface', () => {
  it('sends a registered job the callbacks its default flags allow, and others nothing', async () => {
    const registered = listeningClient();
    const bystander = listeningClient();
    const id = await newJob(
      'defaults',
      ['/a.txt', '/b.txt'],
      NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_ERROR,
    );
    const reg = await registered.client.invoke('job.setNotifyInterface', {
      jobId: id,
      enabled: true,
    });
    assert.deepEqual(reg, { jobId: id, registered: true, notifyFlags: 0x3 });
    await engine.getJob(id).resume();
    await waitFor(() => eventsOf(registered.seen, id).includes('jobTransferred'), 'jobTransferred');
    // Delivered in the same dispatch as the registered client's: nothing more can arrive.
    assert.deepEqual(eventsOf(registered.seen, id), ['jobTransferred']);
    assert.deepEqual(eventsOf(bystander.seen, id), []);
  });

  it('sends JobModification and FileTransferred only with their flags, and DISABLE silences all', async () => {
    const { client, seen } = listeningClient();
    const all =
      NotifyFlag.JOB_TRANSFERRED |
      NotifyFlag.JOB_ERROR |
      NotifyFlag.JOB_MODIFICATION |
      NotifyFlag.FILE_TRANSFERRED;
    const loud = await newJob(
      'loud',
      ['/a.txt', '/b.txt'],
      NotifyFlag.JOB_MODIFICATION | NotifyFlag.FILE_TRANSFERRED,
    );
    const quiet = await newJob('quiet', ['/a.txt'], all | NotifyFlag.DISABLE);
    await client.invoke('jobs.setNotifyInterface', { enabled: true });
    await engine.getJob(quiet).resume();
    await engine.getJob(loud).resume();
    await waitFor(() => engine.getJob(loud).getState() === 'TRANSFERRED', 'loud transferred');
    await waitFor(() => engine.getJob(quiet).getState() === 'TRANSFERRED', 'quiet transferred');
    await waitFor(
      () =>
        seen.some(
          (s) => s.jobId === loud && s.event === 'jobModification' && s.state === 'TRANSFERRED',
        ),
      'the TRANSFERRED modification',
    );
    assert.deepEqual(eventsOf(seen, loud).sort(), ['fileTransferred', 'jobModification']);
    assert.equal(seen.filter((s) => s.jobId === loud && s.event === 'fileTransferred').length, 2);
    assert.deepEqual(eventsOf(seen, quiet), []);
    // Every state the job went through came as a JobModification, once each.
    const states = seen
      .filter((s) => s.jobId === loud && s.event === 'jobModification')
      .map((s) => s.state);
    for (const state of ['QUEUED', 'CONNECTING', 'TRANSFERRED'] as const) {
      assert.ok(states.includes(state), `${state} in ${states.join(', ')}`);
    }
  });

  it('sends JobError for a failed job with JOB_ERROR, not without', async () => {
    const { client, seen } = listeningClient();
    const told = await newJob('told', ['/missing-1'], NotifyFlag.JOB_ERROR);
    const untold = await newJob('untold', ['/missing-2'], NotifyFlag.JOB_TRANSFERRED);
    await client.invoke('job.setNotifyInterface', { jobId: told, enabled: true });
    await client.invoke('job.setNotifyInterface', { jobId: untold, enabled: true });
    await engine.getJob(untold).resume();
    await engine.getJob(told).resume();
    await waitFor(() => engine.getJob(untold).getState() === 'ERROR', 'untold in ERROR');
    await waitFor(() => eventsOf(seen, told).includes('jobError'), 'jobError of told');
    assert.deepEqual(eventsOf(seen, told), ['jobError']);
    assert.deepEqual(eventsOf(seen, untold), []);
  });

  it('coalesces JobModification to the minimum interval, except on state changes', async () => {
    const { client, seen } = listeningClient();
    const id = await newJob('coalesced', ['/slow.bin'], NotifyFlag.JOB_MODIFICATION);
    await client.invoke('job.setNotifyInterface', { jobId: id, enabled: true });
    await engine.getJob(id).resume();
    await waitFor(
      () => seen.some((s) => s.jobId === id && s.state === 'TRANSFERRED'),
      'the TRANSFERRED modification',
      20_000,
    );
    const mods = seen.filter((s) => s.jobId === id && s.event === 'jobModification');
    let progressOnly = 0;
    for (let i = 1; i < mods.length; i++) {
      const [previous, current] = [mods[i - 1], mods[i]];
      if (previous === undefined || current === undefined || previous.state !== current.state)
        continue;
      progressOnly++;
      // Timer jitter tolerance; a change without a new state waits for the interval.
      assert.ok(
        current.at - previous.at >= INTERVAL_MS - 20,
        `${current.at - previous.at} ms apart`,
      );
    }
    // About 1 s of TRANSFERRING at a 150 ms interval: a handful, not one per chunk.
    assert.ok(progressOnly >= 2 && progressOnly <= 12, `${progressOnly} progress modifications`);
  });

  it('stops with unregistering and with the link, which leaves others registered', async () => {
    const leaving = listeningClient();
    const staying = listeningClient();
    const unregistering = listeningClient();
    const id = await newJob('ends', ['/a.txt'], NotifyFlag.JOB_TRANSFERRED);
    for (const c of [leaving, staying, unregistering]) {
      await c.client.invoke('job.setNotifyInterface', { jobId: id, enabled: true });
    }
    assert.deepEqual(
      await unregistering.client.invoke('job.setNotifyInterface', { jobId: id, enabled: false }),
      { jobId: id, registered: false, notifyFlags: NotifyFlag.JOB_TRANSFERRED },
    );
    leaving.client.disconnect();
    // A new link (a reloaded window, a reconnected socket) starts with no registration.
    leaving.client.reconnect();
    await engine.getJob(id).resume();
    await waitFor(() => eventsOf(staying.seen, id).includes('jobTransferred'), 'jobTransferred');
    assert.deepEqual(eventsOf(leaving.seen, id), []);
    assert.deepEqual(eventsOf(unregistering.seen, id), []);
  });

  it('refuses an unknown job and a caller without a link, registering nothing', async () => {
    const { client } = listeningClient();
    await assert.rejects(
      client.invoke('job.setNotifyInterface', {
        jobId: '00000000-0000-4000-8000-000000000000',
        enabled: true,
      }),
      { code: 'JOB_NOT_FOUND' },
    );
    const id = await newJob('no-link', ['/a.txt'], NotifyFlag.JOB_TRANSFERRED);
    const envelope = await host.invoke('job.setNotifyInterface', { jobId: id, enabled: true });
    assert.ok(!envelope.ok, 'registered without a link');
    assert.equal(envelope.error.code, 'INPUT_INVALID');
    assert.match(envelope.error.message, /needs a client with an event stream/);
  });
});
