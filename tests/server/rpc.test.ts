// The contract over a real WebSocket: bad frames close only the client that sent them (1002,
// 1009) while other clients and transfers go on; rejected commands change nothing; clients
// see the same events; a slow or silent client is dropped instead of buffered forever.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Envelope,
  EventPayloads,
  FerryErrorShape,
  JobDetails,
  JobsSnapshot,
  JobState,
} from '../../app/index.js';
import { RPC_CLOSE_CODES, RPC_MAX_MESSAGE_BYTES } from '../../app/wire.js';
import type { ServerMessage } from '../../app/wire.js';
import { RPC_CLOSE_OVERLOADED, startRpcServer } from '../../main/server/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { waitFor } from '../support/engine-harness.js';
import { connectRaw, startHarness, waitClosed, watchLinks } from './harness.js';
import type { Harness, RawClient } from './harness.js';

let h: Harness;
let files: TestServer;
const clients: RawClient[] = [];

before(async () => {
  files = await startTestServer();
  files.setFile('/slow.bin', {
    body: { size: 1024 * 1024, seed: 5 },
    throttleBytesPerSec: 512 * 1024,
  });
  files.setFile('/small.bin', { body: { size: 200 * 1024, seed: 6 } });
  h = await startHarness();
});

afterEach(() => {
  for (const client of clients.splice(0)) client.ws.terminate();
});

after(async () => {
  await h.close();
  await files.close();
});

async function client(): Promise<RawClient> {
  const c = await connectRaw(h);
  clients.push(c);
  return c;
}

function value(envelope: Envelope<unknown>): unknown {
  assert.ok(envelope.ok, `expected ok, got ${JSON.stringify(envelope)}`);
  return envelope.value;
}

/** Creates a job with one file from the loopback file server, over the wire. */
async function createDownload(c: RawClient, path: string, name: string): Promise<JobDetails> {
  const job = value(await c.invoke('job.create', { displayName: name })) as JobDetails;
  value(
    await c.invoke('job.addFile', {
      jobId: job.id,
      remoteUrl: files.url(path),
      localName: h.dir.file(`${name}.bin`),
    }),
  );
  return job;
}

async function jobState(c: RawClient, jobId: string): Promise<JobDetails> {
  return value(await c.invoke('job.get', { jobId })) as JobDetails;
}

function closingOf(c: RawClient): FerryErrorShape | undefined {
  const message = c.messages.find((m) => m.type === 'closing');
  return message?.type === 'closing' ? message.error : undefined;
}

describe('malformed and oversized frames', () => {
  it('closes a client that sends invalid JSON with 1002; others and transfers go on', async () => {
    const good = await client();
    const job = await createDownload(good, '/slow.bin', 'survivor');
    value(await good.invoke('job.resume', { jobId: job.id }));
    await waitFor(() => h.engine.getJob(job.id).getProgress().bytesTransferred > 0, 'bytes');

    const bad = await client();
    bad.ws.send('{"type":"invoke",');
    const closed = await waitClosed(bad);
    assert.equal(closed.code, RPC_CLOSE_CODES.protocolError);
    assert.equal(closingOf(bad)?.code, 'RPC_PROTOCOL');
    assert.match(closingOf(bad)?.message ?? '', /not valid JSON/);

    const before = (await jobState(good, job.id)).progress.bytesTransferred;
    assert.equal((await jobState(good, job.id)).state, 'TRANSFERRING');
    await waitFor(
      () => h.engine.getJob(job.id).getState() === 'TRANSFERRED',
      'the transfer to finish after the bad client left',
    );
    assert.ok((await jobState(good, job.id)).progress.bytesTransferred > before);
  });

  it('closes a client whose frame is JSON but not a client message with 1002', async () => {
    const other = await client();
    const frames = [
      '[]',
      '42',
      '{"type":"invoke","id":-1,"command":"engine.info","input":{}}',
      '{"type":"invoke","id":1,"command":"engine.info","input":{},"extra":true}',
      '{"type":"teleport"}',
      '{"type":"subscribe","events":"jobAdded"}',
    ];
    for (const frame of frames) {
      const bad = await client();
      bad.ws.send(frame);
      assert.equal((await waitClosed(bad)).code, RPC_CLOSE_CODES.protocolError, frame);
      assert.equal(closingOf(bad)?.code, 'RPC_PROTOCOL', frame);
    }
    assert.ok((await other.invoke('engine.info', {})).ok, 'the other client still works');
  });

  it('closes a client that sends a binary frame with 1002', async () => {
    const bad = await client();
    bad.ws.send(Buffer.from('{"type":"subscribe","events":[]}'), { binary: true });
    assert.equal((await waitClosed(bad)).code, RPC_CLOSE_CODES.protocolError);
  });

  it('closes a client that subscribes to an unknown event with 1002', async () => {
    const bad = await client();
    bad.ws.send(JSON.stringify({ type: 'subscribe', events: ['jobAdded', 'jobExploded'] }));
    assert.equal((await waitClosed(bad)).code, RPC_CLOSE_CODES.protocolError);
    assert.match(closingOf(bad)?.message ?? '', /jobExploded/);
  });

  it('closes a client that sends a frame over the size cap with 1009', async () => {
    const other = await client();
    const bad = await client();
    bad.ws.send('x'.repeat(RPC_MAX_MESSAGE_BYTES + 1));
    assert.equal((await waitClosed(bad)).code, RPC_CLOSE_CODES.messageTooBig);
    assert.ok((await other.invoke('engine.info', {})).ok, 'the other client still works');
  });

  it('accepts a frame just under the cap', async () => {
    const c = await client();
    const id = 7;
    const padding = 'a'.repeat(RPC_MAX_MESSAGE_BYTES - 200);
    c.ws.send(JSON.stringify({ type: 'invoke', id, command: 'engine.info', input: { padding } }));
    const result = await c.waitFor((m) => m.type === 'result' && m.id === id, 'the result');
    assert.ok(result.type === 'result' && !result.result.ok);
    assert.equal(result.result.error.code, 'INPUT_INVALID');
  });
});

describe('commands', () => {
  it('answers bad input with INPUT_INVALID and leaves the job unchanged', async () => {
    const c = await client();
    const job = await createDownload(c, '/small.bin', 'unchanged');
    const before = await jobState(c, job.id);
    for (const [command, input, code] of [
      ['job.setPriority', { jobId: job.id, priority: 'URGENT' }, 'INPUT_INVALID'],
      ['job.setDisplayName', { jobId: job.id, displayName: '' }, 'INPUT_INVALID'],
      [
        'job.addFile',
        { jobId: job.id, remoteUrl: files.url('/x'), localName: 42 },
        'INPUT_INVALID',
      ],
      [
        'job.addFile',
        { jobId: job.id, remoteUrl: 'not a url', localName: '/tmp/x' },
        'INPUT_INVALID_URL',
      ],
      ['job.setMinimumRetryDelay', { jobId: job.id, seconds: -1 }, 'INPUT_INVALID'],
      ['job.resume', { jobId: job.id, now: true }, 'INPUT_INVALID'],
    ] as const) {
      const result = await c.invoke(command, input);
      assert.ok(!result.ok, command);
      assert.equal(result.error.code, code, command);
    }
    assert.deepEqual(await jobState(c, job.id), before);
  });

  it('answers an unknown command with RPC_UNKNOWN_COMMAND and keeps the client', async () => {
    const c = await client();
    const result = await c.invoke('job.selfDestruct', {});
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'RPC_UNKNOWN_COMMAND');
    assert.ok((await c.invoke('engine.info', {})).ok);
  });

  it('reports an invalid state with the job unchanged', async () => {
    const c = await client();
    const job = value(await c.invoke('job.create', { displayName: 'empty' })) as JobDetails;
    const result = await c.invoke('job.resume', { jobId: job.id });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'JOB_EMPTY');
    assert.deepEqual(await jobState(c, job.id), job);
  });
});

describe('events', () => {
  it('two clients see the same events for a real download', async () => {
    const a = await client();
    const b = await client();
    for (const c of [a, b]) c.subscribe(['jobsChanged', 'jobTransferred']);
    // A round trip after subscribing: the subscription is in place before the job exists.
    await Promise.all([a.invoke('engine.info', {}), b.invoke('engine.info', {})]);

    const job = await createDownload(a, '/small.bin', 'shared');
    // The BITS callbacks reach the clients registered for the job (SetNotifyInterface).
    for (const c of [a, b])
      value(await c.invoke('job.setNotifyInterface', { jobId: job.id, enabled: true }));
    value(await a.invoke('job.resume', { jobId: job.id }));
    const isTransferred = (m: ServerMessage): boolean =>
      m.type === 'event' &&
      m.event === 'jobTransferred' &&
      (m.payload as EventPayloads['jobTransferred']).job.id === job.id;
    const [ta, tb] = await Promise.all([
      a.waitFor(isTransferred, 'jobTransferred on a'),
      b.waitFor(isTransferred, 'jobTransferred on b'),
    ]);
    assert.deepEqual(ta, tb, 'the same jobTransferred payload');
    // The batch with TRANSFERRED is flushed at once on the state change.
    for (const c of [a, b]) {
      await c.waitFor(
        (m) => statesIn(m, job.id).includes('TRANSFERRED'),
        'a jobsChanged batch with TRANSFERRED',
      );
    }
    const seen = (c: RawClient): JobState[] =>
      dedupe(c.messages.flatMap((m) => statesIn(m, job.id)));
    assert.deepEqual(seen(a), seen(b), 'the same state changes, in the same order');
    assert.deepEqual(seen(a).slice(0, 1), ['SUSPENDED'], 'the job was added SUSPENDED');
    assert.equal(seen(a).at(-1), 'TRANSFERRED');
    for (const c of [a, b]) {
      const revisions = c.messages.flatMap((m) =>
        m.type === 'event' && m.event === 'jobsChanged'
          ? [(m.payload as { revision: number }).revision]
          : [],
      );
      assert.ok(revisions.length >= 2);
      assert.deepEqual(
        [...revisions].sort((x, y) => x - y),
        revisions,
        'revisions never go back',
      );
    }
  });

  it('after subscribe then snapshot at revision R, every later event is above R', async () => {
    const writer = await client();
    const job = await createDownload(writer, '/slow.bin', 'revisions');
    value(await writer.invoke('job.resume', { jobId: job.id }));
    await waitFor(() => h.engine.getJob(job.id).getProgress().bytesTransferred > 0, 'bytes');

    const reader = await client();
    reader.subscribe(['jobsChanged', 'jobModification', 'jobTransferred']);
    const snapshot = value(await reader.invoke('jobs.snapshot', {})) as JobsSnapshot;
    const at = reader.messages.findIndex((m) => m.type === 'result');
    await waitFor(() => h.engine.getJob(job.id).getState() === 'TRANSFERRED', 'the transfer');
    await reader.waitFor((m) => statesIn(m, job.id).includes('TRANSFERRED'), 'TRANSFERRED');
    const later = reader.messages.slice(at + 1).filter((m) => m.type === 'event');
    assert.ok(later.length > 0);
    for (const m of later) {
      assert.ok((m.payload as { revision: number }).revision > snapshot.revision, m.event);
    }
    assert.ok(snapshot.jobs.some((j) => j.id === job.id && j.state === 'TRANSFERRING'));
  });
});

describe('slow and silent clients', () => {
  it('drops a client that stops reading once its send buffer passes the bound (1013)', async () => {
    const links = watchLinks(h.host);
    const small = await startRpcServer({
      host: links.host,
      dataDir: h.dataDir,
      port: 0,
      staticDir: null,
      // No cap on commands in flight here: only the send buffer may trip.
      limits: { maxBufferedBytes: 256 * 1024, maxInFlight: 100_000 },
    });
    try {
      for (let i = 0; i < 100; i++)
        h.engine.createJob({ displayName: `filler ${i} ${'x'.repeat(200)}` });
      const slow = await connectRaw({ ...h, port: small.port });
      clients.push(slow);
      slow.ws.pause();
      // Each snapshot is tens of KiB; far more than the kernel's loopback buffers hold.
      const dropped = links.nextClose();
      for (let id = 1; id <= 400; id++) {
        slow.ws.send(JSON.stringify({ type: 'invoke', id, command: 'jobs.snapshot', input: {} }));
      }
      // The server lets go of the client once its send buffer passes the bound.
      await dropped;
      slow.ws.resume();
      const closed = await waitClosed(slow);
      assert.equal(closed.code, RPC_CLOSE_OVERLOADED);
      const results = slow.messages.filter((m) => m.type === 'result').length;
      assert.ok(results < 400, `dropped before all results were queued (${results})`);
      // The reason comes twice, small: a closing message and the close frame's reason.
      assert.match(closingOf(slow)?.message ?? '', /waited unread/);
      assert.match(closed.reason, /waited unread/);
    } finally {
      await small.close();
    }
  });

  it('closes a client with more commands in flight than allowed (1013)', async () => {
    files.setFile('/sluggish.bin', { body: Buffer.from('zzz'), headerDelayMs: 400 });
    const capped = await startRpcServer({
      host: h.host,
      dataDir: h.dataDir,
      port: 0,
      staticDir: null,
      limits: { maxInFlight: 3 },
    });
    try {
      const greedy = await connectRaw({ ...h, port: capped.port });
      clients.push(greedy);
      // Each plan waits on a slow HEAD, so the commands pile up.
      const input = { urls: [files.url('/sluggish.bin')], folder: h.dir.path };
      for (let id = 1; id <= 4; id++) {
        greedy.ws.send(JSON.stringify({ type: 'invoke', id, command: 'downloads.plan', input }));
      }
      assert.equal((await waitClosed(greedy)).code, RPC_CLOSE_OVERLOADED);
      assert.match(closingOf(greedy)?.message ?? '', /More than 3 commands in flight/);
    } finally {
      await capped.close();
    }
  });

  it('drops a client that does not answer heartbeat pings', async () => {
    const links = watchLinks(h.host);
    const beating = await startRpcServer({
      host: links.host,
      dataDir: h.dataDir,
      port: 0,
      staticDir: null,
      heartbeatMs: 100,
    });
    try {
      const alive = await connectRaw({ ...h, port: beating.port });
      const silent = await connectRaw({ ...h, port: beating.port });
      clients.push(alive, silent);
      const dropped = links.nextClose();
      silent.ws.pause();
      // The server cuts the client that missed two heartbeats.
      await dropped;
      silent.ws.resume();
      const closed = await waitClosed(silent);
      assert.equal(closed.code, 1006, 'terminated without a close handshake');
      assert.ok((await alive.invoke('engine.info', {})).ok, 'a client answering pings stays');
    } finally {
      await beating.close();
    }
  });
});

function statesIn(message: ServerMessage, jobId: string): JobState[] {
  if (message.type !== 'event' || message.event !== 'jobsChanged') return [];
  const batch = message.payload as EventPayloads['jobsChanged'];
  return [...batch.added, ...batch.changed].filter((j) => j.id === jobId).map((j) => j.state);
}

function dedupe(states: JobState[]): JobState[] {
  return states.filter((state, i) => i === 0 || states[i - 1] !== state);
}
