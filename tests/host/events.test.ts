// Events as clients see them: BITS callbacks numbered by revision, UI batches coalesced to at
// most one per interval but sent at once on a state change, and a mirror that loses nothing
// between its subscription and its snapshot, or across a dropped link.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventPayloads, JobDetails, JobId, JobState } from '../../app/index.js';
import { FerryError, createJobMirror } from '../../app/index.js';
import type { CommandInput, CommandName, FerryClient } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost, createLocalClient } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const INTERVAL_MS = 200;

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let server: TestServer;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({
    engine,
    host: 'server',
    version: 'test',
    batchIntervalMs: INTERVAL_MS,
  });
  server.setFile('/slow.bin', {
    body: { size: 1536 * 1024, seed: 11 },
    throttleBytesPerSec: 1024 * 1024,
  });
  server.setFile('/small.txt', { body: Buffer.from('small') });
});

after(async () => {
  host.close();
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function startDownload(name: string, path: string): Promise<JobId> {
  const job = engine.createJob({ displayName: name });
  await job.addFile(server.url(path), dir.file(`${name}-${Date.now()}`));
  await job.resume();
  return job.getId();
}

describe('event hub', () => {
  it('sends UI batches at most once per interval, and at once on every state change', async () => {
    const client = createLocalClient(host);
    const batches: { at: number; payload: EventPayloads['jobsChanged'] }[] = [];
    const off = client.on('jobsChanged', (payload) => batches.push({ at: Date.now(), payload }));
    const id = await startDownload('coalesced', '/slow.bin');
    await waitFor(
      () => engine.getJob(id).getState() === 'TRANSFERRED',
      'the throttled download to finish',
    );
    await waitFor(
      () => batches.some((b) => b.payload.changed.some((j) => j.state === 'TRANSFERRED')),
      'a batch with TRANSFERRED',
    );
    off();

    const states: JobState[] = [];
    let last: JobState | undefined;
    for (const [i, batch] of batches.entries()) {
      const job =
        batch.payload.changed.find((j) => j.id === id) ??
        batch.payload.added.find((j) => j.id === id);
      const previous = batches[i - 1];
      const stateChanged = job !== undefined && job.state !== last;
      if (previous !== undefined && !stateChanged && batch.payload.added.length === 0) {
        // Tolerance for timer jitter; a batch without a state change waits for the interval.
        assert.ok(
          batch.at - previous.at >= INTERVAL_MS - 20,
          `batches ${i - 1} and ${i} only ${batch.at - previous.at} ms apart`,
        );
      }
      if (job !== undefined && stateChanged) states.push(job.state);
      if (job !== undefined) last = job.state;
      if (previous !== undefined) assert.ok(batch.payload.revision >= previous.payload.revision);
    }
    assert.ok(states.includes('TRANSFERRING'), `states seen: ${states.join(', ')}`);
    assert.equal(states.at(-1), 'TRANSFERRED');
    // ~1.5 s at 1 MiB/s: far fewer batches than progress events, more than one.
    assert.ok(batches.length >= 3 && batches.length <= 20, `${batches.length} batches`);
  });

  it('numbers the BITS callback events and sends them only to subscribers', async () => {
    const a = createLocalClient(host);
    const b = createLocalClient(host);
    // Both registered for every job: what each receives depends on its subscription alone.
    await a.invoke('jobs.setNotifyInterface', { enabled: true });
    await b.invoke('jobs.setNotifyInterface', { enabled: true });
    const seenA: EventPayloads['jobTransferred'][] = [];
    const seenB: string[] = [];
    const revisionAtStart = host.revision;
    a.on('jobTransferred', (payload) => seenA.push(payload));
    b.on('jobError', () => seenB.push('error'));
    const id = await startDownload('callbacks', '/small.txt');
    await waitFor(() => seenA.some((p) => p.job.id === id), 'jobTransferred to reach client a');
    const event = seenA.find((p) => p.job.id === id);
    assert.ok(event !== undefined && event.revision > revisionAtStart);
    assert.equal(event.job.state, 'TRANSFERRED');
    assert.deepEqual(seenB, []);
  });
});

describe('job mirror', () => {
  // Guards against jobs created empty and then given files (as the add dialog and `ferry
  // transfer` do) keeping an empty file list in every mirror, so the UI's search by URL never
  // found them until a reload.
  it('gets the files of a job that was created empty and then given files', async () => {
    const client = createLocalClient(host);
    const mirror = createJobMirror(client, {}, () => undefined);
    const job = engine.createJob({ displayName: 'files-later' });
    const id = job.getId();
    await waitFor(() => mirror.jobs.has(id), 'the empty job in the mirror');
    const url = server.url('/small.txt');
    await job.addFile(url, dir.file(`files-later-${Date.now()}`));
    // A progress-only change in the same batch must not drop the file list again.
    await job.setDescription('changed after the file was added');
    await waitFor(() => mirror.jobs.get(id)?.description !== '', 'the later change');
    const mirrored = mirror.jobs.get(id);
    assert.ok(mirrored !== undefined && 'files' in mirrored, 'the mirror holds the job details');
    assert.deepEqual(
      (mirrored as JobDetails).files.map((file) => file.remoteName),
      [url],
    );
    mirror.stop();
  });

  // Guards against a mirror that stayed empty for good when its snapshot failed on a link that
  // stayed up (the desktop bridge never reconnects, so no later 'open' re-synced it).
  it('fetches the snapshot again when the host fails it on an open link', async () => {
    const existing = engine.createJob({ displayName: 'before-failed-snapshot' });
    const local = createLocalClient(host);
    let refusals = 2;
    const client: FerryClient = {
      invoke: <C extends CommandName>(command: C, input: CommandInput<C>) => {
        if (command === 'jobs.snapshot' && refusals > 0) {
          refusals--;
          return Promise.reject(new FerryError('INTERNAL', 'UNKNOWN', 'snapshot failed'));
        }
        return local.invoke(command, input);
      },
      on: (event, listener) => local.on(event, listener),
      onConnection: (listener) => local.onConnection(listener),
    };
    const mirror = createJobMirror(client, {}, () => undefined);
    await waitFor(() => mirror.jobs.has(existing.getId()), 'the mirror to load after two failures');
    assert.equal(refusals, 0);
    mirror.stop();
  });

  it('keeps the same jobs as the host, through events sent before its snapshot and a dropped link', async () => {
    const client = createLocalClient(host);
    let updates = 0;
    const mirror = createJobMirror(client, {}, () => updates++);
    // Changes made before the snapshot answer arrive as held batches and as snapshot content.
    const early = engine.createJob({ displayName: 'early' });
    await waitFor(() => mirror.jobs.has(early.getId()), 'the mirror to load');

    client.disconnect();
    const whileDown = engine.createJob({ displayName: 'while-down' });
    await early.setPriority('HIGH');
    const removed = engine.createJob({ displayName: 'cancelled-while-down' });
    await removed.cancel();
    assert.equal(mirror.jobs.has(whileDown.getId()), false);
    client.reconnect();

    const expected = async (): Promise<Map<string, JobDetails>> =>
      new Map((await client.invoke('jobs.enum', {})).map((j) => [j.id, j]));
    await waitFor(() => mirror.jobs.has(whileDown.getId()), 'the mirror to re-sync');
    const want = await expected();
    assert.deepEqual([...mirror.jobs.keys()].sort(), [...want.keys()].sort());
    assert.equal(mirror.jobs.get(early.getId())?.priority, 'HIGH');
    assert.equal(mirror.jobs.has(removed.getId()), false, 'final jobs stay out without history');

    // Live batches keep applying after the re-sync.
    const live = await startDownload('after-resync', '/small.txt');
    await waitFor(
      () => mirror.jobs.get(live)?.state === 'TRANSFERRED',
      'the mirror to see the new job transfer',
    );
    assert.ok(updates >= 3);
    mirror.stop();
  });
});
