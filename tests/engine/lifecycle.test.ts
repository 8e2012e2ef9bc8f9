// A job's life from creation to ACKNOWLEDGED or CANCELLED against a real loopback server:
// bytes land in a temporary file, become visible only on Complete, and every input the engine
// refuses changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { FerryErrorCode, JobErrorInfo, JobInfo } from '../../app/index.js';
import { NotifyFlag, hasErrorCode } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { sha256OfPath, sha256OfTestFile, startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let server: TestServer;
let dir: TempDir;
let engine: Engine;

const big = { body: { size: 3 * 1024 * 1024 + 17, seed: 7 } } as const;

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir);
  server.setFile('/big.bin', big);
  server.setFile('/a.txt', { body: Buffer.from('alpha') });
  server.setFile('/b.txt', { body: Buffer.from('bravo') });
  server.setFile('/empty.txt', { body: Buffer.alloc(0) });
  server.setFile('/slow.bin', {
    body: { size: 8 * 1024 * 1024, seed: 3 },
    throttleBytesPerSec: 256 * 1024,
  });
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function rejectsWith(promise: Promise<unknown>, code: FerryErrorCode): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(hasErrorCode(e, code), `expected ${code}, got ${String(e)}`);
    return true;
  });
}

describe('download, complete, cancel', () => {
  it('downloads to a temporary name and renames on Complete, byte-identical', async () => {
    const job = engine.createJob({ displayName: 'big' });
    assert.equal(job.getState(), 'SUSPENDED');
    assert.equal(job.getOwner(), 'tester');
    const local = dir.file('big.bin');
    await job.addFile(server.url('/big.bin'), local);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    const [file] = job.enumFiles();
    assert.ok(file !== undefined);
    assert.equal(existsSync(local), false, 'nothing at the final name before Complete');
    assert.equal(sha256OfPath(file.tempName), sha256OfTestFile(big));
    assert.deepEqual(job.getProgress(), {
      bytesTotal: 3 * 1024 * 1024 + 17,
      bytesTransferred: 3 * 1024 * 1024 + 17,
      filesTotal: 1,
      filesTransferred: 1,
    });
    assert.notEqual(job.getTimes().transferCompletionTime, null);
    const result = await job.complete();
    assert.deepEqual(result, { partial: false, unableToDeleteFiles: false });
    assert.equal(job.getState(), 'ACKNOWLEDGED');
    assert.equal(sha256OfPath(local), sha256OfTestFile(big));
    assert.equal(existsSync(file.tempName), false);
    assert.equal(job.enumFiles()[0]?.progress.completed, true);
  });

  it('never shows a partial file at the final name while transferring', async () => {
    const job = engine.createJob({ displayName: 'slow' });
    const local = dir.file('slow.bin');
    await job.addFile(server.url('/slow.bin'), local);
    await job.resume();
    await waitForState(job, 'TRANSFERRING');
    await waitFor(() => job.getProgress().bytesTransferred > 0, 'some bytes');
    assert.equal(existsSync(local), false);
    assert.equal(job.getProgress().bytesTotal, 8 * 1024 * 1024);
    await job.cancel();
    assert.equal(existsSync(local), false);
    assert.equal(existsSync(job.enumFiles()[0]?.tempName ?? ''), false);
  });

  it('transfers several files serially, including an empty one', async () => {
    const job = engine.createJob({ displayName: 'set' });
    await job.addFileSet([
      { remoteUrl: server.url('/a.txt'), localName: dir.file('set-a.txt') },
      { remoteUrl: server.url('/b.txt'), localName: dir.file('set-b.txt') },
      { remoteUrl: server.url('/empty.txt'), localName: dir.file('set-empty.txt') },
    ]);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.complete();
    assert.equal(readFileSync(dir.file('set-a.txt'), 'utf8'), 'alpha');
    assert.equal(readFileSync(dir.file('set-b.txt'), 'utf8'), 'bravo');
    assert.equal(readFileSync(dir.file('set-empty.txt'), 'utf8'), '');
  });

  it('copies from a file: URL', async () => {
    const source = dir.file('source.dat');
    writeFileSync(source, 'from a local or mounted path');
    const job = engine.createJob({ displayName: 'file-url' });
    await job.addFile(pathToFileURL(source).href, dir.file('copied.dat'));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.complete();
    assert.equal(readFileSync(dir.file('copied.dat'), 'utf8'), 'from a local or mounted path');
  });

  it('Complete keeps only the files that transferred (partial) and deletes the rest', async () => {
    const job = engine.createJob({ displayName: 'partial' });
    await job.addFileSet([
      { remoteUrl: server.url('/a.txt'), localName: dir.file('partial-a.txt') },
      { remoteUrl: server.url('/slow.bin'), localName: dir.file('partial-slow.bin') },
    ]);
    await job.resume();
    await waitFor(() => job.enumFiles()[0]?.progress.transferred === true, 'first file');
    const result = await job.complete();
    assert.equal(result.partial, true);
    assert.equal(readFileSync(dir.file('partial-a.txt'), 'utf8'), 'alpha');
    assert.equal(existsSync(dir.file('partial-slow.bin')), false);
    assert.equal(existsSync(job.enumFiles()[1]?.tempName ?? ''), false);
  });

  it('a failed rename leaves the job TRANSFERRED with FILE_RENAME_FAILED; Complete can retry', async () => {
    const folder = dir.file('rename-target');
    mkdirSync(folder);
    const job = engine.createJob({ displayName: 'rename' });
    const local = `${folder}/out.txt`;
    await job.addFile(server.url('/a.txt'), local);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    // A folder at the final name makes the rename fail, even for root.
    mkdirSync(local);
    writeFileSync(`${local}/keep`, 'x');
    await rejectsWith(job.complete(), 'FILE_RENAME_FAILED');
    assert.equal(job.getState(), 'TRANSFERRED');
    assert.equal(job.getError()?.context, 'LOCAL_FILE');
    assert.equal(job.getError()?.fileIndex, 0);
    assert.equal(job.getErrorCount(), 1);
    rmSync(local, { recursive: true });
    await job.complete();
    assert.equal(job.getState(), 'ACKNOWLEDGED');
    assert.equal(readFileSync(local, 'utf8'), 'alpha');
  });

  it('AddFile on a TRANSFERRED job makes it SUSPENDED until Resume', async () => {
    const job = engine.createJob({ displayName: 'more' });
    await job.addFile(server.url('/a.txt'), dir.file('more-a.txt'));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.addFile(server.url('/b.txt'), dir.file('more-b.txt'));
    assert.equal(job.getState(), 'SUSPENDED');
    assert.equal(job.getTimes().transferCompletionTime, null);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.equal(job.getProgress().filesTransferred, 2);
    await job.cancel();
  });
});

describe('bad input is refused and changes nothing', () => {
  it('refuses bad files with a clear code, and AddFileSet adds none of a bad set', async () => {
    const job = engine.createJob({ displayName: 'bad-input' });
    const before = job.info();
    await rejectsWith(
      job.addFile(server.url('/a.txt'), 'relative/path.txt'),
      'INPUT_LOCAL_NAME_NOT_ABSOLUTE',
    );
    await rejectsWith(
      job.addFile(server.url('/a.txt'), dir.file('no-such-folder/x.txt')),
      'INPUT_FOLDER_NOT_WRITABLE',
    );
    await rejectsWith(
      job.addFile('ftp://127.0.0.1/x', dir.file('x.txt')),
      'INPUT_UNSUPPORTED_SCHEME',
    );
    await rejectsWith(job.addFile('not a url', dir.file('x.txt')), 'INPUT_INVALID_URL');
    await rejectsWith(job.addFile('', dir.file('x.txt')), 'INPUT_INVALID');
    await rejectsWith(
      job.addFileSet([
        { remoteUrl: server.url('/a.txt'), localName: dir.file('dup.txt') },
        { remoteUrl: server.url('/b.txt'), localName: dir.file('dup.txt') },
      ]),
      'INPUT_LOCAL_NAME_DUPLICATE',
    );
    await rejectsWith(job.setNotifyFlags(0x100), 'INPUT_INVALID');
    await rejectsWith(job.setMinimumRetryDelay(-1), 'INPUT_INVALID');
    await rejectsWith(job.setCustomHeaders(['X-Evil: a\r\nInjected: b']), 'INPUT_INVALID');
    await rejectsWith(
      job.setProxySettings({ usage: 'OVERRIDE', proxyList: [], bypassList: [] }),
      'INPUT_INVALID',
    );
    await rejectsWith(job.setRemoteName(5, server.url('/a.txt')), 'INPUT_FILE_INDEX');
    assert.deepEqual(job.info(), before);
    assert.deepEqual(job.enumFiles(), []);
  });

  it('creates UPLOAD jobs (tests/engine/upload-jobs.test.ts), and refuses unknown ids', async () => {
    const upload = engine.createJob({ displayName: 'up', type: 'UPLOAD' });
    assert.equal(upload.getType(), 'UPLOAD');
    await upload.cancel();
    assert.throws(
      () => engine.getJob('00000000-0000-0000-0000-000000000000'),
      (e: unknown) => hasErrorCode(e, 'JOB_NOT_FOUND'),
    );
    assert.throws(
      () => engine.getJob('nope'),
      (e: unknown) => hasErrorCode(e, 'INPUT_INVALID'),
    );
  });
});

describe('defaults, owners, history', () => {
  it('pins the BITS defaults of a new job', () => {
    const job = engine.createJob({ displayName: 'defaults' });
    const info = job.info();
    assert.equal(info.minimumRetryDelay, 600);
    assert.equal(info.noProgressTimeout, 14 * 24 * 3600);
    assert.equal(info.priority, 'NORMAL');
    assert.equal(info.notifyFlags, NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_ERROR);
    assert.equal(info.type, 'DOWNLOAD');
    assert.deepEqual(info.proxy, { usage: 'PRECONFIG', proxyList: [], bypassList: [] });
    assert.match(info.id, /^[0-9a-f-]{36}$/);
  });

  it('raises a minimum retry delay under the floor to the floor', async () => {
    const floored = makeTempDir();
    const other = startEngine(floored, { minimumRetryDelayFloor: 5 });
    try {
      const job = other.createJob({ displayName: 'floor' });
      await job.setMinimumRetryDelay(1);
      assert.equal(job.getMinimumRetryDelay(), 5);
      await job.setMinimumRetryDelay(30);
      assert.equal(job.getMinimumRetryDelay(), 30);
    } finally {
      await other.close();
      floored.cleanup();
    }
  });

  it('enumerates the caller’s jobs, all users on request; TakeOwnership moves a job', async () => {
    const shared = makeTempDir();
    const alice = startEngine(shared, { user: 'alice' });
    const aliceJob = alice.createJob({ displayName: 'alice job' });
    await alice.close();
    const bob = startEngine(shared, { user: 'bob' });
    try {
      const bobJob = bob.createJob({ displayName: 'bob job' });
      assert.deepEqual(
        bob.enumJobs().map((j) => j.id),
        [bobJob.id],
      );
      assert.equal(bob.enumJobs({ allUsers: true }).length, 2);
      const taken = bob.getJob(aliceJob.id);
      assert.equal(taken.getOwner(), 'alice');
      await taken.takeOwnership();
      assert.equal(taken.getOwner(), 'bob');
      assert.equal(bob.enumJobs().length, 2);
    } finally {
      await bob.close();
      shared.cleanup();
    }
  });

  it('history can be browsed, and cleared one by one or at once', async () => {
    const a = engine.createJob({ displayName: 'hist-a' });
    const b = engine.createJob({ displayName: 'hist-b' });
    await a.cancel();
    await b.cancel();
    assert.throws(
      () => {
        engine.removeFromHistory(engine.createJob({ displayName: 'live' }).id);
      },
      (e: unknown) => hasErrorCode(e, 'JOB_NOT_IN_HISTORY'),
    );
    engine.removeFromHistory(a.id);
    assert.ok(!engine.history().some((j) => j.id === a.id));
    assert.ok(engine.clearHistory() >= 1);
    assert.deepEqual(engine.history(), []);
    assert.throws(
      () => engine.getJob(b.id),
      (e: unknown) => hasErrorCode(e, 'JOB_NOT_FOUND'),
    );
  });
});

describe('notifications', () => {
  it('calls the job’s callbacks as its flags ask, and coalesces modifications', async () => {
    const job = engine.createJob({ displayName: 'notify' });
    await job.addFileSet([
      { remoteUrl: server.url('/a.txt'), localName: dir.file('n-a.txt') },
      { remoteUrl: server.url('/b.txt'), localName: dir.file('n-b.txt') },
    ]);
    const seen: string[] = [];
    const states: string[] = [];
    await job.setNotifyInterface({
      jobTransferred: (info: JobInfo) => seen.push(`transferred:${info.state}`),
      jobModification: (info: JobInfo) => states.push(info.state),
      fileTransferred: (_info, file) => seen.push(`file:${file.index}`),
    });
    await job.setNotifyFlags(
      NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_MODIFICATION | NotifyFlag.FILE_TRANSFERRED,
    );
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await waitFor(() => seen.includes('transferred:TRANSFERRED'), 'jobTransferred');
    assert.deepEqual(seen, ['file:0', 'file:1', 'transferred:TRANSFERRED']);
    // Every state change is delivered, in order, even when coalescing drops progress ticks.
    // (SetNotifyFlags is itself a modification: when it lands after the interval it is sent
    // at once, still SUSPENDED, so a slow machine sees one more leading entry.)
    const distinct = states.filter((s, i) => i === 0 || states[i - 1] !== s);
    assert.deepEqual(distinct.slice(distinct.indexOf('QUEUED')), [
      'QUEUED',
      'CONNECTING',
      'TRANSFERRING',
      'TRANSFERRED',
    ]);
    assert.ok(distinct.indexOf('QUEUED') <= 1, `states before QUEUED: ${distinct.join(', ')}`);
    await job.cancel();
  });

  it('DISABLE silences every callback', async () => {
    const job = engine.createJob({ displayName: 'silent' });
    await job.addFile(server.url('/a.txt'), dir.file('silent.txt'));
    let calls = 0;
    await job.setNotifyInterface({ jobTransferred: () => calls++, jobModification: () => calls++ });
    await job.setNotifyFlags(
      NotifyFlag.DISABLE | NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_MODIFICATION,
    );
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    // A control job started afterwards, with its callbacks on: once its own transfer and
    // modification have been delivered, anything the silent job would have been told (its
    // notifications are older and go through the same notifier) has been delivered too.
    const control = engine.createJob({ displayName: 'control' });
    await control.addFile(server.url('/a.txt'), dir.file('silent-control.txt'));
    const controlSeen: string[] = [];
    await control.setNotifyInterface({
      jobTransferred: () => controlSeen.push('transferred'),
      jobModification: (info) => controlSeen.push(`modification:${info.state}`),
    });
    await control.setNotifyFlags(NotifyFlag.JOB_TRANSFERRED | NotifyFlag.JOB_MODIFICATION);
    await control.resume();
    await waitFor(
      () => controlSeen.includes('transferred') && controlSeen.includes('modification:TRANSFERRED'),
      'the control job to be notified',
    );
    assert.equal(calls, 0);
    await control.cancel();
    await job.cancel();
  });

  it('runs the notify command line on ERROR when no callback took it', async () => {
    server.setFile('/gone.bin', { body: Buffer.alloc(0), status: 410 });
    const marker = dir.file('cmdline-ran.txt');
    const script = dir.file('notify.sh');
    writeFileSync(script, `#!/bin/sh\necho "$1" > '${marker}'\n`);
    chmodSync(script, 0o755);
    const job = engine.createJob({ displayName: 'cmdline' });
    await job.addFile(server.url('/gone.bin'), dir.file('gone.bin'));
    await job.setNotifyCmdLine({ program: script, args: [job.id] });
    await job.resume();
    await waitForState(job, 'ERROR');
    await waitFor(() => existsSync(marker), 'the notify program to run');
    await waitFor(() => readFileSync(marker, 'utf8').trim() === job.id, 'the marker to be written');
    const error = job.getError() as JobErrorInfo;
    assert.equal(error.code, 'HTTP_NOT_FOUND');
    await job.cancel();
  });

  it('engine listeners see every job event', async () => {
    const events: string[] = [];
    const stop = engine.subscribe((event) => events.push(event.type));
    const job = engine.createJob({ displayName: 'listener' });
    await job.addFile(server.url('/a.txt'), dir.file('listener.txt'));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await waitFor(() => events.includes('jobTransferred'), 'jobTransferred event');
    stop();
    assert.ok(events.includes('jobAdded'));
    assert.ok(events.includes('fileTransferred'));
    assert.ok(events.includes('jobModification'));
    await job.cancel();
  });
});
