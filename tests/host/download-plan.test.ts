// downloads.plan through the host as a shell calls it. Its probe (the add dialog's preview of a
// name and size) goes through the engine's HTTP stack, not the global fetch: Ferry's
// User-Agent, the default proxy, a one-byte GET (so a server that refuses HEAD still answers)
// and keep-alive connections (a batch to one host does not open one connection per URL).
// Without a probe no request is made at all: each file's first response names it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PlannedDownload } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { startRecordingProxy } from '../support/recording-proxy.js';
import type { RecordingProxy } from '../support/recording-proxy.js';
import { makeTempDir, startEngine } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let files: TestServer;
let proxy: RecordingProxy;

before(async () => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
  files = await startTestServer();
  proxy = await startRecordingProxy();
  files.setFile('/get', {
    body: { size: 123_456, seed: 1 },
    contentDisposition: 'attachment; filename="Quarterly report.pdf"',
    refuseHead: true,
  });
  for (let i = 0; i < 24; i++) files.setFile(`/many/${i}.bin`, { body: { size: 5_000, seed: i } });
});

after(async () => {
  host.close();
  await engine.close();
  await files.close();
  await proxy.close();
  dir.cleanup();
});

async function plan(urls: string[], probe: boolean): Promise<PlannedDownload[]> {
  const envelope = await host.invoke('downloads.plan', { urls, folder: dir.path, probe });
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value as PlannedDownload[];
}

describe('downloads.plan', () => {
  it('probes with a one-byte GET and Ferry’s User-Agent, so a server refusing HEAD still names the file', async () => {
    files.reset();
    const [entry] = await plan([files.url('/get?x=1')], true);
    assert.deepEqual(entry, {
      ok: true,
      remoteUrl: files.url('/get?x=1'),
      localName: `${dir.path}/Quarterly report.pdf`,
      bytesTotal: 123_456,
      nameFromServer: true,
    });
    const requests = files.requests.filter((r) => r.path.startsWith('/get'));
    assert.deepEqual(
      requests.map((r) => [r.method, r.headers['range'], r.headers['user-agent']]),
      [['GET', 'bytes=0-0', engine.getSettings().userAgent]],
    );
    assert.equal(requests[0]?.bytesSent, 1);
  });

  it('sends the User-Agent setting', async () => {
    engine.setSettings({ userAgent: 'Probe-Test/1.0' });
    try {
      files.reset();
      await plan([files.url('/get?x=2')], true);
      assert.equal(files.requests[0]?.headers['user-agent'], 'Probe-Test/1.0');
    } finally {
      engine.setSettings({ userAgent: 'Ferry/0.1' });
    }
  });

  it('reuses kept-alive connections across a batch to one host', async () => {
    files.reset();
    const urls = Array.from({ length: 24 }, (_, i) => files.url(`/many/${i}.bin`));
    const planned = await plan(urls, true);
    assert.equal(planned.filter((p) => p.ok && p.bytesTotal === 5_000).length, 24);
    assert.equal(files.requests.length, 24);
    const sockets = new Set(files.requests.map((r) => r.socketId)).size;
    // At most one per probe in flight (8), not one per URL (24).
    assert.ok(sockets <= 8, `24 probes used ${sockets} connections`);
  });

  it('goes through the default proxy', async () => {
    engine.setSettings({
      defaultProxy: { usage: 'OVERRIDE', proxyList: [proxy.origin], bypassList: [] },
    });
    try {
      proxy.reset();
      const [entry] = await plan([files.url('/get?x=3')], true);
      assert.ok(entry?.ok === true && entry.bytesTotal === 123_456, JSON.stringify(entry));
      assert.ok(
        proxy.log.some((e) => e.target.includes(new URL(files.origin).host)),
        JSON.stringify(proxy.log),
      );
    } finally {
      engine.setSettings({ defaultProxy: { usage: 'PRECONFIG', proxyList: [], bypassList: [] } });
    }
  });

  it('asks no server at all without a probe, naming from the URL for the first response to confirm', async () => {
    files.reset();
    const [entry] = await plan([files.url('/get?x=4')], false);
    assert.equal(files.requests.length, 0);
    assert.deepEqual(entry, {
      ok: true,
      remoteUrl: files.url('/get?x=4'),
      localName: `${dir.path}/get`,
      bytesTotal: null,
      nameFromServer: true,
    });
  });
});
