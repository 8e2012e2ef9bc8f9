// `npm run serve` as a real process: SIGTERM mid-transfer closes clients with 1001, persists the
// job and exits 0 without leaving server.json behind; a restart on the same data directory
// resumes the download (a Range request, not a restart from zero) and ends byte-identical. A
// second server on a data directory in use refuses, naming the running one.
import { after, afterEach, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import type { ConnectionState } from '../../app/index.js';
import type { WebSocketClient } from '../../app/ws-client.js';
import { ENGINE_HOLDER_FILE } from '../../main/engine/engine-holder.js';
import { acquireEngineLock } from '../../main/engine/engine-lock.js';
import { SERVER_INFO_FILE, readServerInfoSync } from '../../main/server/index.js';
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestFile, TestServer } from '../support/http-server.js';
import { withTimeout } from '../support/child-process.js';
import { makeTempDir, sleep } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { contractClient } from './harness.js';
import { spawnServe } from './serve-process.js';
import type { ServeChild } from './serve-process.js';

const BIG: TestFile = {
  body: { size: 3 * 1024 * 1024, seed: 21 },
  throttleBytesPerSec: 2 * 1024 * 1024,
};

let files: TestServer;
let dir: TempDir;
const children: ServeChild[] = [];
const clients: WebSocketClient[] = [];

before(async () => {
  files = await startTestServer();
  files.setFile('/big.bin', BIG);
  dir = makeTempDir('ferry-serve-');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const child of children.splice(0)) await child.kill('SIGKILL').catch(() => undefined);
});

after(async () => {
  await files.close();
  dir.cleanup();
});

function serve(dataDir: string): ServeChild {
  const child = spawnServe(['--data-dir', dataDir, '--port', '0', '--no-static']);
  children.push(child);
  return child;
}

function connect(rpcUrl: string, token: string): WebSocketClient {
  const client = contractClient(rpcUrl, token, [] as WebSocket[], false);
  clients.push(client);
  return client;
}

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

it('SIGTERM mid-transfer exits 0 and a restart resumes to the right sha256', async () => {
  const dataDir = join(dir.path, 'resume');
  const localName = dir.file('big.bin');

  const first = serve(dataDir);
  const serving = await first.serving();
  assert.deepEqual(readServerInfoSync(dataDir), {
    pid: first.pid,
    port: serving.port,
    url: `http://127.0.0.1:${serving.port}/`,
  });
  assert.ok(!readFileSync(join(dataDir, SERVER_INFO_FILE), 'utf8').includes(serving.token));

  const client = connect(serving.rpcUrl, serving.token);
  const states: ConnectionState[] = [];
  client.onConnection((state) => states.push(state));
  const job = await client.invoke('job.create', { displayName: 'sigterm', priority: 'FOREGROUND' });
  await client.invoke('job.addFile', {
    jobId: job.id,
    remoteUrl: files.url('/big.bin'),
    localName,
  });
  await client.invoke('job.resume', { jobId: job.id });
  const midway = await until('some bytes', async () => {
    const now = await client.invoke('job.get', { jobId: job.id });
    return now.progress.bytesTransferred >= 512 * 1024 ? now : null;
  });
  assert.equal(midway.state, 'TRANSFERRING');

  const exit = await first.kill('SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null }, first.stderr());
  assert.equal(existsSync(join(dataDir, SERVER_INFO_FILE)), false, 'server.json removed');
  assert.equal(existsSync(join(dataDir, ENGINE_HOLDER_FILE)), false, 'holder record removed');
  acquireEngineLock(dataDir).release(); // throws ENGINE_LOCKED if the server still held it
  await until('the client to see the link close', () =>
    Promise.resolve(states.at(-1) === 'closed' ? true : null),
  );
  await assert.rejects(client.invoke('engine.info', {}), { code: 'RPC_DISCONNECTED' });
  const firstRunBytes = files.bytesSent('/big.bin');
  assert.ok(firstRunBytes < 3 * 1024 * 1024, 'the first run did not finish');

  files.reset();
  const second = serve(dataDir);
  const again = await second.serving();
  assert.equal(again.token, serving.token, 'the same token across restarts');
  const resumed = connect(again.rpcUrl, again.token);
  const restored = await resumed.invoke('job.get', { jobId: job.id });
  assert.ok(['QUEUED', 'CONNECTING', 'TRANSFERRING'].includes(restored.state), restored.state);
  assert.ok(restored.progress.bytesTransferred > 0, 'progress was persisted');
  await until('TRANSFERRED', async () => {
    const now = await resumed.invoke('job.get', { jobId: job.id });
    assert.notEqual(now.state, 'ERROR', JSON.stringify(now.error));
    return now.state === 'TRANSFERRED' ? now : null;
  });
  const ranged = files.requests.filter((r) => r.method === 'GET' && r.status === 206);
  assert.ok(
    ranged.some((r) => (r.rangeStart ?? 0) > 0),
    `the restart asked for a range: ${JSON.stringify(files.requests.map((r) => [r.status, r.rangeStart]))}`,
  );
  const completed = await resumed.invoke('job.complete', { jobId: job.id });
  assert.equal(completed.job.state, 'ACKNOWLEDGED');
  assert.equal(
    createHash('sha256').update(readFileSync(localName)).digest('hex'),
    sha256OfTestFile(BIG),
  );
  assert.deepEqual(await second.kill('SIGINT'), { code: 0, signal: null }, second.stderr());
});

it('a second server on a data directory in use refuses, naming the running one', async () => {
  const dataDir = join(dir.path, 'locked');
  const running = serve(dataDir);
  const serving = await running.serving();

  const intruder = serve(dataDir);
  const ended = await withTimeout(intruder.exited, 15_000, 'the second server to give up');
  assert.notEqual(ended.code, 0);
  assert.equal(ended.signal, null, 'it exited by itself');
  const message = intruder.stderr();
  assert.match(message, new RegExp(`pid ${running.pid}\\b`));
  assert.ok(message.includes(`http://127.0.0.1:${serving.port}/`), message);
  assert.ok(!message.includes(serving.token), 'never the token');
  assert.equal(intruder.stdout(), '', 'no serving line');

  assert.equal(readServerInfoSync(dataDir)?.pid, running.pid, 'server.json left alone');
  const client = connect(serving.rpcUrl, serving.token);
  assert.equal((await client.invoke('engine.info', {})).pid, running.pid, 'the first still serves');
});
