// A file added "as the server names it" is named by its first response (the GET itself, as
// curl -J, wget and aria2c do), not by an earlier HEAD: a server that refuses HEAD or names the
// file only on GET still gets its name, the URL after redirects names it otherwise, the usual
// collision rules hold (a file on disk, another live job's final path), the temporary file
// keeps the name it was created with, and the new name is announced at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Engine, EngineEvent, Job } from '../../main/engine/index.js';
import { sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A job of one file whose name is the server's to give, first guessed as `guess`. */
async function serverNamed(url: string, guess: string, nameFromServer = true): Promise<Job> {
  const job = engine.createJob({ displayName: guess, priority: 'FOREGROUND' });
  await job.addFileSet([{ remoteUrl: url, localName: dir.file(guess), nameFromServer }]);
  return job;
}

async function transferred(job: Job): Promise<void> {
  await job.resume();
  await waitForState(job, 'TRANSFERRED');
}

describe('the first response names a file added with nameFromServer', () => {
  it('takes the GET response’s Content-Disposition from a server that refuses HEAD', async () => {
    const body = { size: 300_000, seed: 1 };
    server.setFile('/dl', {
      body,
      contentDisposition: 'attachment; filename="report 2025.pdf"',
      refuseHead: true,
    });
    const job = await serverNamed(server.url('/dl?id=1'), 'dl');
    const [guessed] = job.enumFiles();
    assert.ok(guessed !== undefined);
    const events: EngineEvent[] = [];
    const stop = engine.subscribe((event) => events.push(event));
    try {
      await transferred(job);
    } finally {
      stop();
    }
    const [file] = job.enumFiles();
    assert.equal(file?.localName, dir.file('report 2025.pdf'));
    // The temporary file was named from the guess and kept its name: nothing was renamed.
    assert.equal(file.tempName, guessed.tempName);
    assert.match(basename(guessed.tempName), /^\.dl\./);
    // The job that was named after its file follows it, and the change was announced.
    assert.equal(job.getDisplayName(), 'report 2025.pdf');
    assert.ok(
      events.some(
        (e) =>
          e.type === 'jobModification' &&
          e.job.id === job.id &&
          e.job.displayName === 'report 2025.pdf' &&
          e.job.state !== 'TRANSFERRED',
      ),
      'a modification with the new name before the job transferred',
    );
    assert.deepEqual(
      server.requests.filter((r) => r.path.startsWith('/dl')).map((r) => r.method),
      ['GET'],
    );
    await job.complete();
    assert.equal(sha256(dir.file('report 2025.pdf')), sha256OfTestFile(body));
    assert.equal(existsSync(dir.file('dl')), false);
  });

  it('takes the name of the URL after redirects when the server sends no Content-Disposition', async () => {
    server.setFile('/files/ubuntu-24.04.iso', { body: { size: 50_000, seed: 2 } });
    server.redirect('/latest', '/files/ubuntu-24.04.iso');
    const job = await serverNamed(server.url('/latest'), 'latest');
    await transferred(job);
    assert.equal(job.enumFiles()[0]?.localName, dir.file('ubuntu-24.04.iso'));
    await job.complete();
    assert.ok(existsSync(dir.file('ubuntu-24.04.iso')));
  });

  it('keeps clear of a file on disk and of another live job’s final path', async () => {
    server.setFile('/c1', {
      body: { size: 10_000, seed: 3 },
      contentDisposition: 'attachment; filename=clash.bin',
    });
    writeFileSync(dir.file('clash.bin'), 'mine');
    const other = engine.createJob({ displayName: 'other' });
    await other.addFile(server.url('/c1?other'), dir.file('clash (2).bin'));
    const job = await serverNamed(server.url('/c1'), 'c1');
    await transferred(job);
    assert.equal(job.enumFiles()[0]?.localName, dir.file('clash (3).bin'));
    await job.complete();
    assert.equal(readFileSync(dir.file('clash.bin'), 'utf8'), 'mine');
    assert.ok(existsSync(dir.file('clash (3).bin')));
    await other.cancel();
  });

  it('makes a hostile name safe: no path, no bidi controls, no hidden file', async () => {
    server.setFile('/h', {
      body: { size: 1_000, seed: 4 },
      contentDisposition: "attachment; filename*=UTF-8''..%2F..%2F.invoice%E2%80%AEgpj.exe",
    });
    const job = await serverNamed(server.url('/h'), 'h');
    await transferred(job);
    const name = job.enumFiles()[0]?.localName ?? '';
    assert.equal(name, dir.file('_.._.invoicegpj.exe'));
    await job.complete();
  });

  it('leaves a name the user chose as it is', async () => {
    server.setFile('/mine', {
      body: { size: 1_000, seed: 5 },
      contentDisposition: 'attachment; filename=theirs.bin',
    });
    const job = await serverNamed(server.url('/mine'), 'chosen.bin', false);
    await transferred(job);
    assert.equal(job.enumFiles()[0]?.localName, dir.file('chosen.bin'));
    assert.equal(job.getDisplayName(), 'chosen.bin');
    await job.complete();
  });

  it('keeps the name shown when the user replaces the URL (SetRemoteName)', async () => {
    server.setFile('/mirror/other-name.iso', {
      body: { size: 5_000, seed: 7 },
      contentDisposition: 'attachment; filename=mirror.iso',
    });
    const job = await serverNamed(server.url('/gone.iso'), 'gone.iso');
    await job.resume();
    await waitForState(job, 'ERROR');
    await job.setRemoteName(0, server.url('/mirror/other-name.iso'));
    await transferred(job);
    assert.equal(job.enumFiles()[0]?.localName, dir.file('gone.iso'));
    assert.equal(job.getDisplayName(), 'gone.iso');
    await job.complete();
  });

  it('names a file once: a resumed or restarted transfer keeps the name', async () => {
    server.setFile('/once', {
      body: { size: 2_000_000, seed: 6 },
      contentDisposition: 'attachment; filename=first.bin',
      throttleBytesPerSec: 2_000_000,
    });
    const job = await serverNamed(server.url('/once'), 'once');
    await job.resume();
    await waitFor(() => job.enumFiles()[0]?.localName === dir.file('first.bin'), 'the first name');
    await job.suspend();
    server.setFile('/once', {
      body: { size: 2_000_000, seed: 6 },
      contentDisposition: 'attachment; filename=second.bin',
    });
    await transferred(job);
    assert.equal(job.enumFiles()[0]?.localName, dir.file('first.bin'));
    await job.complete();
  });
});
