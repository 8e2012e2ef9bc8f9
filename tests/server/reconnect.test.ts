// A UI over the real WebSocket: the contract's reconnecting client and the job mirror. When the
// link drops, changes made meanwhile are never pushed to it; the mirror must still end equal to
// the host, because it re-subscribes and re-syncs from a snapshot after reconnecting.
import { after, before, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import type { JobDetails, JobId, JobInfo } from '../../app/index.js';
import { createJobMirror } from '../../app/job-mirror.js';
import type { MirrorUpdate } from '../../app/job-mirror.js';
import type { WebSocketClient } from '../../app/ws-client.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { waitFor } from '../support/engine-harness.js';
import { withTimeout } from '../support/child-process.js';
import { WAIT_MS, contractClient, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
let files: TestServer;
let client: WebSocketClient | undefined;

before(async () => {
  files = await startTestServer();
  files.setFile('/slow.bin', {
    body: { size: 2 * 1024 * 1024, seed: 9 },
    throttleBytesPerSec: 1024 * 1024,
  });
  h = await startHarness();
});

after(async () => {
  client?.close();
  await h.close();
  await files.close();
});

function summary(jobs: Iterable<JobInfo>): Record<string, string> {
  return Object.fromEntries([...jobs].map((job) => [job.id, job.state]));
}

it('re-syncs after a dropped link without losing the changes made while it was down', async () => {
  const sockets: WebSocket[] = [];
  client = contractClient(h.rpcUrl, h.token, sockets);
  const updates: MirrorUpdate[] = [];
  const mirror = createJobMirror(client, {}, (update) => updates.push(update));
  await waitFor(() => updates.some((u) => u.resynced), 'the first snapshot');

  const job = await client.invoke('job.create', { displayName: 'through a reconnect' });
  await client.invoke('job.addFile', {
    jobId: job.id,
    remoteUrl: files.url('/slow.bin'),
    localName: h.dir.file('slow.bin'),
  });
  await client.invoke('job.resume', { jobId: job.id });
  await waitFor(() => mirror.jobs.get(job.id)?.state === 'TRANSFERRING', 'TRANSFERRING');

  // Cut the link, and change things in the same tick: the server still thinks the client is
  // there, so these events go to a dead socket and only a re-sync can bring them in.
  sockets.at(-1)?.terminate();
  const offline = h.engine.createJob({ displayName: 'made while offline' });
  await withTimeout(h.engine.getJob(job.id).suspend(), WAIT_MS, 'Suspend');

  await waitFor(
    () =>
      mirror.jobs.get(offline.getId())?.state === 'SUSPENDED' &&
      mirror.jobs.get(job.id)?.state === 'SUSPENDED',
    'the mirror to show the offline changes',
  );
  assert.equal(sockets.length, 2, 'one reconnect');
  assert.equal(updates.filter((u) => u.resynced).length, 2, 'a second snapshot after it');

  await client.invoke('job.resume', { jobId: job.id });
  await waitFor(() => mirror.jobs.get(job.id)?.state === 'TRANSFERRED', 'TRANSFERRED', 15_000);

  const snapshot = await client.invoke('jobs.snapshot', {});
  assert.deepEqual(summary(mirror.jobs.values()), summary(snapshot.jobs));
  const byId = new Map<JobId, JobDetails>(snapshot.jobs.map((j) => [j.id, j]));
  assert.deepEqual(mirror.jobs.get(job.id)?.progress, byId.get(job.id)?.progress);
  // Revisions the mirror applied never went back, across both snapshots.
  const revisions = updates.map((u) => u.revision);
  assert.deepEqual(
    [...revisions].sort((a, b) => a - b),
    revisions,
  );
  mirror.stop();
});

it('reports a refused token as RPC_UNAUTHORIZED and does not retry', async () => {
  // The client's reconnect timer runs on a fake clock: a retry it planned would fire on the
  // tick below (its first delay is 20 ms, its longest 200 ms), so none firing shows there is none.
  mock.timers.enable({ apis: ['setTimeout'] });
  const sockets: WebSocket[] = [];
  const wrong = contractClient(h.rpcUrl, '0'.repeat(64), sockets);
  try {
    await assert.rejects(wrong.invoke('engine.info', {}), { code: 'RPC_UNAUTHORIZED' });
    mock.timers.tick(1_000);
    assert.equal(sockets.length, 1, 'no reconnect with a refused token');
    assert.equal(wrong.state, 'closed');
  } finally {
    mock.timers.reset();
    wrong.close();
  }
});
