// files.link (Open file in a browser) and folders.list (the browser's folder picker).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileLink, FolderListing, JobDetails } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { FileLinks, FILE_LINK_TTL_MS } from '../../main/host/file-links.js';
import { listFolder } from '../../main/host/folder-browser.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let files: TestServer;

before(async () => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
  files = await startTestServer();
  files.setFile('/a.bin', { body: { size: 10_000, seed: 1 } });
});

after(async () => {
  host.close();
  await engine.close();
  await files.close();
  dir.cleanup();
});

async function call(command: string, input: unknown): Promise<unknown> {
  const envelope = await host.invoke(command, input);
  if (!envelope.ok) throw new Error(`${command} failed: ${envelope.error.code}`);
  return envelope.value;
}

describe('files.link', () => {
  it('links a saved file for a while, and refuses one not saved yet', async () => {
    const job = (await call('job.create', { displayName: 'linked' })) as JobDetails;
    await call('job.addFile', {
      jobId: job.id,
      remoteUrl: files.url('/a.bin'),
      localName: dir.file('linked.bin'),
    });
    const early = await host.invoke('files.link', { jobId: job.id, fileIndex: 0 });
    assert.equal(early.ok ? 'linked' : early.error.code, 'JOB_INVALID_STATE');

    await call('job.resume', { jobId: job.id });
    await waitForState(engine.getJob(job.id), 'TRANSFERRED');
    await call('job.complete', { jobId: job.id });
    const link = (await call('files.link', { jobId: job.id, fileIndex: 0 })) as FileLink;
    assert.match(link.url, /^\/files\/[0-9a-f]{48}\/linked\.bin$/);
    assert.equal(link.path, dir.file('linked.bin'));
    assert.deepEqual(host.resolveFileLink(link.url), {
      path: dir.file('linked.bin'),
      name: 'linked.bin',
    });
    assert.equal(host.resolveFileLink('/files/0000/linked.bin'), null, 'an unknown ticket');
    const bad = await host.invoke('files.link', { jobId: job.id, fileIndex: 5 });
    assert.equal(bad.ok ? 'linked' : bad.error.code, 'INPUT_FILE_INDEX');

    // Without a desktop, files.open says so and the window falls back to the link; with one,
    // the shell's opener gets the saved path.
    assert.deepEqual(await call('files.open', { jobId: job.id, fileIndex: 0 }), { opened: false });
    const opened: [string, boolean][] = [];
    const desktop = createEngineHost({
      engine,
      host: 'desktop',
      version: '0.0.0-test',
      openFile: (path, reveal) => {
        opened.push([path, reveal]);
        return Promise.resolve();
      },
      pickFolder: (start) => Promise.resolve(start === '' ? null : join(start, 'picked')),
    });
    try {
      const reveal = await desktop.invoke('files.open', {
        jobId: job.id,
        fileIndex: 0,
        reveal: true,
      });
      assert.deepEqual(reveal, { ok: true, value: { opened: true } });
      assert.deepEqual(opened, [[dir.file('linked.bin'), true]]);
      const picked = await desktop.invoke('folders.pick', { start: '/data' });
      assert.deepEqual(picked, {
        ok: true,
        value: { supported: true, path: join('/data', 'picked') },
      });
    } finally {
      desktop.close();
    }
    assert.deepEqual(await call('folders.pick', {}), { supported: false, path: null });

    // A link stops working once its time is up.
    let now = 1_000;
    const links = new FileLinks(engine, () => now);
    const short = links.create({ jobId: job.id, fileIndex: 0 });
    assert.notEqual(links.resolve(short.url), null);
    now += FILE_LINK_TTL_MS;
    assert.equal(links.resolve(short.url), null);
  });
});

describe('folders.list', () => {
  it('lists the sub-folders of home, hidden ones left out, and never goes above home', async () => {
    const home = join(dir.path, 'home');
    mkdirSync(join(home, 'Downloads', 'iso'), { recursive: true });
    mkdirSync(join(home, 'Music'));
    mkdirSync(join(home, '.cache'));
    writeFileSync(join(home, 'notes.txt'), 'x');
    symlinkSync(dir.path, join(home, 'escape'));

    const top = await listFolder({ path: '' }, home);
    assert.deepEqual(
      top.folders.map((f) => f.name),
      ['Downloads', 'Music'],
    );
    assert.equal(top.parent, null);
    const sub: FolderListing = await listFolder({ path: join(home, 'Downloads') }, home);
    assert.deepEqual(
      sub.folders.map((f) => f.name),
      ['iso'],
    );
    assert.equal(sub.parent, top.path);

    for (const outside of [dir.path, join(home, '..'), join(home, 'escape')]) {
      await assert.rejects(listFolder({ path: outside }, home), (e: unknown) => {
        return (e as { code?: unknown }).code === 'DISK_ACCESS_DENIED';
      });
    }
    await assert.rejects(listFolder({ path: join(home, 'gone') }, home), (e: unknown) => {
      return (e as { code?: unknown }).code === 'DISK_PATH_INVALID';
    });
  });
});
