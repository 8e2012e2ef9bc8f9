// The one job mirror every client uses (window, desktop shell feed, CLI monitor), against a
// client the test drives by hand: the subscribe-then-snapshot race, the snapshot retry (on a
// fake clock) and the bound on what it keeps.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type {
  CommandName,
  ConnectionState,
  EventPayloads,
  FerryClient,
  JobDetails,
  JobInfo,
  JobsChangedPayload,
  JobsSnapshot,
  JobState,
} from '../../../app/index.js';
import { FerryError, createJobMirror } from '../../../app/index.js';
import type { MirrorUpdate } from '../../../app/index.js';
import { jobId, jobInfo } from '../electron/job-fixture.js';

const details = (n: number, state: JobState = 'SUSPENDED', owner = 'tester'): JobDetails => ({
  ...jobInfo(n, state, {}, { owner }),
  files: [],
  errors: [],
});
const info = (n: number, state: JobState, owner = 'tester'): JobInfo =>
  jobInfo(n, state, {}, { owner });

/** A FerryClient whose snapshots the test answers, and whose batches and link it drives. */
function fakeClient() {
  const batchListeners = new Set<(payload: JobsChangedPayload) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const snapshots: { resolve(s: JobsSnapshot): void; reject(e: unknown): void }[] = [];
  const calls: CommandName[] = [];
  const client: FerryClient = {
    invoke(command) {
      calls.push(command);
      if (command === 'engine.info') {
        return Promise.resolve({ user: 'tester' }) as never;
      }
      return new Promise((resolve, reject) => {
        snapshots.push({ resolve, reject });
      });
    },
    on(event, listener) {
      assert.equal(event, 'jobsChanged');
      const entry = listener as (payload: EventPayloads['jobsChanged']) => void;
      batchListeners.add(entry);
      return () => batchListeners.delete(entry);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
  return {
    client,
    calls,
    /** Snapshot requests not answered yet, oldest first. */
    snapshots,
    batch(payload: JobsChangedPayload): void {
      for (const listener of batchListeners) listener(payload);
    },
    link(state: ConnectionState): void {
      for (const listener of connectionListeners) listener(state);
    },
    subscribers: () => batchListeners.size,
  };
}

/** Lets the mirror's awaited promises settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** The mirror's jobs as "display name: state", sorted. */
function states(jobs: ReadonlyMap<unknown, JobInfo>): string[] {
  return [...jobs.values()].map((j) => `${j.displayName}: ${j.state}`).sort();
}

describe('job mirror', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it('subscribes before it asks for the snapshot', async () => {
    const fake = fakeClient();
    createJobMirror(fake.client, {}, () => undefined);
    fake.link('open');
    await settle();
    assert.equal(fake.subscribers(), 1);
    assert.deepEqual(fake.calls, ['engine.info', 'jobs.snapshot']);
  });

  it('applies a snapshot, then only the batches newer than it', async () => {
    const fake = fakeClient();
    const updates: MirrorUpdate[] = [];
    const mirror = createJobMirror(fake.client, {}, (u) => updates.push(u));
    fake.link('open');
    await settle();
    fake.snapshots.shift()?.resolve({ revision: 5, jobs: [details(1), details(2)] });
    await settle();
    fake.batch({ revision: 5, changed: [info(1, 'QUEUED')], added: [], removed: [] });
    fake.batch({
      revision: 6,
      changed: [info(1, 'TRANSFERRING')],
      added: [details(3)],
      removed: [jobId(2)],
    });
    assert.deepEqual(states(mirror.jobs), ['job 1: TRANSFERRING', 'job 3: SUSPENDED']);
    assert.deepEqual(
      updates.map((u) => [u.resynced, u.revision]),
      [
        [true, 5],
        [false, 6],
      ],
    );
  });

  // The race both mirrors were fixed for: a batch that arrives while the snapshot is on its way
  // must not be applied first and then wiped by the older snapshot.
  it('keeps a batch newer than the snapshot that arrived before the snapshot', async () => {
    const fake = fakeClient();
    const mirror = createJobMirror(fake.client, {}, () => undefined);
    fake.link('open');
    await settle();
    fake.batch({ revision: 6, changed: [], added: [details(1, 'QUEUED')], removed: [] });
    fake.batch({ revision: 5, changed: [info(2, 'QUEUED')], added: [], removed: [] });
    assert.equal(mirror.jobs.size, 0, 'nothing applied before the snapshot');
    fake.snapshots.shift()?.resolve({ revision: 5, jobs: [] });
    await settle();
    assert.deepEqual(states(mirror.jobs), ['job 1: QUEUED']);
  });

  it('replaces everything with a new snapshot after a reconnect', async () => {
    const fake = fakeClient();
    const mirror = createJobMirror(fake.client, {}, () => undefined);
    fake.link('open');
    await settle();
    fake.snapshots.shift()?.resolve({ revision: 1, jobs: [details(1)] });
    await settle();
    fake.link('closed');
    fake.link('open');
    await settle();
    fake.snapshots.shift()?.resolve({ revision: 9, jobs: [details(2)] });
    await settle();
    assert.deepEqual([...mirror.jobs.keys()], [jobId(2)]);
  });

  it('asks again for a snapshot the host failed, on a growing delay', async () => {
    const fake = fakeClient();
    const mirror = createJobMirror(fake.client, {}, () => undefined);
    fake.link('open');
    await settle();
    const refused = new FerryError('INTERNAL', 'UNKNOWN', 'snapshot failed');
    fake.snapshots.shift()?.reject(refused);
    await settle();
    mock.timers.tick(499);
    await settle();
    assert.equal(fake.snapshots.length, 0, 'not before the delay');
    mock.timers.tick(1);
    await settle();
    assert.equal(fake.snapshots.length, 1, 'asked again after 500 ms');
    fake.snapshots.shift()?.reject(refused);
    await settle();
    mock.timers.tick(999);
    await settle();
    assert.equal(fake.snapshots.length, 0, 'the second delay is longer');
    mock.timers.tick(1);
    await settle();
    // A batch that races the retried snapshot is held and applied after it, as the first time.
    fake.batch({ revision: 4, changed: [], added: [details(7)], removed: [] });
    fake.snapshots.shift()?.resolve({ revision: 3, jobs: [details(1)] });
    await settle();
    assert.deepEqual(states(mirror.jobs), ['job 1: SUSPENDED', 'job 7: SUSPENDED']);
  });

  it('does not retry on a dropped link: the next open re-syncs', async () => {
    const fake = fakeClient();
    createJobMirror(fake.client, {}, () => undefined);
    fake.link('open');
    await settle();
    fake.snapshots.shift()?.reject(new FerryError('RPC_DISCONNECTED', 'UNKNOWN', 'gone'));
    await settle();
    mock.timers.tick(60_000);
    await settle();
    assert.equal(fake.snapshots.length, 0);
  });

  // Bounded: jobs leave the mirror as they go to history or are removed, so a session that runs
  // thousands of downloads does not keep them all (the desktop's own table did).
  it('keeps only live jobs of the user: finished ones leave, however many there were', async () => {
    const fake = fakeClient();
    const mirror = createJobMirror(fake.client, {}, () => undefined);
    fake.link('open');
    await settle();
    fake.snapshots.shift()?.resolve({ revision: 0, jobs: [details(9, 'QUEUED', 'someone-else')] });
    await settle();
    const kept = (): number => mirror.jobs.size;
    assert.equal(kept(), 0, "another user's job is not kept");
    let revision = 0;
    for (let n = 1; n <= 2000; n++) {
      fake.batch({ revision: ++revision, changed: [], added: [details(n, 'QUEUED')], removed: [] });
      fake.batch({
        revision: ++revision,
        changed: [info(n, 'TRANSFERRED')],
        added: [],
        removed: [],
      });
      const end: JobState = n % 2 === 0 ? 'ACKNOWLEDGED' : 'CANCELLED';
      fake.batch({ revision: ++revision, changed: [info(n, end)], added: [], removed: [] });
      assert.ok(kept() <= 1, 'at most the one job in flight');
    }
    assert.equal(kept(), 0);
  });

  it('with history, keeps finished jobs until the host removes them', async () => {
    const fake = fakeClient();
    const mirror = createJobMirror(fake.client, { includeHistory: true }, () => undefined);
    fake.link('open');
    await settle();
    fake.snapshots.shift()?.resolve({ revision: 0, jobs: [] });
    await settle();
    fake.batch({ revision: 1, changed: [], added: [details(1, 'ACKNOWLEDGED')], removed: [] });
    assert.equal(mirror.jobs.size, 1);
    fake.batch({ revision: 2, changed: [], added: [], removed: [jobId(1)] });
    assert.equal(mirror.jobs.size, 0);
  });
});
