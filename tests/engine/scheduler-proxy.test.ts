// Scheduling (FOREGROUND at once; background by priority, first come first served, at most N;
// re-planning on priority and limit changes) and proxies (OVERRIDE with bypass, NO_PROXY,
// PRECONFIG from the environment) checked through a recording proxy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, Job } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { startRecordingProxy } from '../support/recording-proxy.js';
import type { ProxyLogEntry, RecordingProxy } from '../support/recording-proxy.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let proxy: RecordingProxy;
let dir: TempDir;

before(async () => {
  server = await startTestServer();
  proxy = await startRecordingProxy();
  dir = makeTempDir();
  server.setFile('/slow.bin', {
    body: { size: 64 * 1024 * 1024, seed: 5 },
    throttleBytesPerSec: 128 * 1024,
  });
  server.setFile('/small.txt', { body: Buffer.from('through the proxy') });
});

after(async () => {
  await proxy.close();
  await server.close();
  dir.cleanup();
});

const RUNNING = new Set(['CONNECTING', 'TRANSFERRING']);

describe('scheduler', () => {
  let engine: Engine;
  let n = 0;
  before(() => {
    engine = startEngine(dir);
    engine.setSettings({ maxConcurrentJobs: 1 });
  });
  after(async () => {
    await engine.close();
  });

  async function slowJob(priority: 'FOREGROUND' | 'HIGH' | 'NORMAL' | 'LOW'): Promise<Job> {
    n++;
    const job = engine.createJob({ displayName: `sched-${n}`, priority });
    await job.addFile(server.url('/slow.bin'), dir.file(`sched-${n}.bin`));
    await job.resume();
    return job;
  }

  it('runs at most N background jobs, first come first served, FOREGROUND at once', async () => {
    const first = await slowJob('NORMAL');
    const second = await slowJob('NORMAL');
    await waitForState(first, 'TRANSFERRING');
    assert.equal(second.getState(), 'QUEUED');
    const urgent = await slowJob('FOREGROUND');
    await waitForState(urgent, 'TRANSFERRING');
    assert.ok(RUNNING.has(first.getState()));
    assert.equal(second.getState(), 'QUEUED');
    await urgent.cancel();

    // A higher priority pre-empts the running NORMAL job, which goes back to QUEUED.
    const high = await slowJob('HIGH');
    await waitForState(high, 'TRANSFERRING');
    await waitForState(first, 'QUEUED');
    assert.equal(second.getState(), 'QUEUED');

    // Lowering it re-plans at once: the older NORMAL job gets the slot back.
    await high.setPriority('LOW');
    await waitForState(first, 'TRANSFERRING');
    await waitForState(high, 'QUEUED');

    // Raising the limit starts the next in line.
    engine.setSettings({ maxConcurrentJobs: 2 });
    await waitForState(second, 'TRANSFERRING');
    assert.equal(high.getState(), 'QUEUED');
    for (const job of [first, second, high]) await job.cancel();
  });

  it('a suspended job frees its slot for the next one', async () => {
    engine.setSettings({ maxConcurrentJobs: 1 });
    const a = await slowJob('NORMAL');
    const b = await slowJob('NORMAL');
    await waitForState(a, 'TRANSFERRING');
    await a.suspend();
    await waitForState(b, 'TRANSFERRING');
    assert.equal(a.getState(), 'SUSPENDED');
    await a.cancel();
    await b.cancel();
  });
});

describe('proxy', () => {
  let engine: Engine;
  let n = 0;
  const target = () => new URL(server.origin).host;

  async function fetchWith(e: Engine, settings: Parameters<Job['setProxySettings']>[0] | null) {
    n++;
    const job = e.createJob({ displayName: `proxy-${n}`, priority: 'FOREGROUND' });
    await job.addFile(server.url('/small.txt'), dir.file(`proxy-${n}.txt`));
    if (settings !== null) await job.setProxySettings(settings);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.cancel();
  }

  const proxyDir = makeTempDir();
  before(() => {
    engine = startEngine(proxyDir);
  });
  after(async () => {
    await engine.close();
    proxyDir.cleanup();
  });

  it('OVERRIDE sends requests through the listed proxy', async () => {
    proxy.reset();
    await fetchWith(engine, { usage: 'OVERRIDE', proxyList: [proxy.origin], bypassList: [] });
    assert.ok(
      proxy.log.some((entry: ProxyLogEntry) => entry.target.includes(target())),
      JSON.stringify(proxy.log),
    );
  });

  it('OVERRIDE with the host in the bypass list goes direct', async () => {
    proxy.reset();
    await fetchWith(engine, {
      usage: 'OVERRIDE',
      proxyList: [proxy.origin],
      bypassList: ['127.0.0.1'],
    });
    assert.deepEqual(proxy.log, []);
  });

  it('NO_PROXY goes direct even when the environment names a proxy', async () => {
    const envDir = makeTempDir();
    const withEnv = startEngine(envDir, { env: { HTTP_PROXY: proxy.origin } });
    try {
      proxy.reset();
      await fetchWith(withEnv, { usage: 'NO_PROXY', proxyList: [], bypassList: [] });
      assert.deepEqual(proxy.log, []);
      // PRECONFIG (the default) reads HTTP_PROXY from the environment.
      await fetchWith(withEnv, null);
      assert.ok(proxy.log.some((entry: ProxyLogEntry) => entry.target.includes(target())));
    } finally {
      await withEnv.close();
      envDir.cleanup();
    }
  });

  it('PRECONFIG asks the shell’s proxy hook first', async () => {
    const hookDir = makeTempDir();
    const seen: string[] = [];
    const withHook = startEngine(hookDir, {
      preconfigProxy: (url) => {
        seen.push(url.href);
        return proxy.origin;
      },
    });
    try {
      proxy.reset();
      await fetchWith(withHook, null);
      await waitFor(() => proxy.log.length > 0, 'a proxied request');
      assert.ok(seen.some((u) => u.startsWith(server.origin)));
    } finally {
      await withHook.close();
      hookDir.cleanup();
    }
  });
});
