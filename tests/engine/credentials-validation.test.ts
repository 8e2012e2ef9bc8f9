// Job credentials and validation before Complete, through the engine: real servers on
// 127.0.0.1 that challenge with Basic and Digest, the real SQLite store read back as bytes, and
// files checked against the digests the user gave or the server announced.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Engine, Job } from '../../main/engine/index.js';
import { startAuthServer } from '../support/auth-server.js';
import type { AuthServer } from '../support/auth-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

/** A password whose bytes must never reach the store. */
const PASSWORD = 'Pw-7f3c9-never-in-clear';

const body = Buffer.alloc(2 * 1024 * 1024);
for (let i = 0; i < body.length; i += 4) body.writeUInt32LE((i * 2246822519) >>> 0, i);
const hex = (algorithm: string, data: Buffer = body): string =>
  createHash(algorithm).update(data).digest('hex');

let dir: TempDir;
let engine: Engine;
let digestServer: AuthServer;
let basicServer: AuthServer;
let plain: AuthServer;
let n = 0;

before(async () => {
  dir = makeTempDir();
  engine = startEngine(dir);
  digestServer = await startAuthServer({
    scheme: 'digest',
    user: 'alice',
    password: PASSWORD,
    algorithm: 'SHA-256',
  });
  basicServer = await startAuthServer({ scheme: 'basic', user: 'alice', password: PASSWORD });
  plain = await startAuthServer({ scheme: 'none', user: '', password: '' });
  for (const server of [digestServer, basicServer, plain]) server.setFile('/f.bin', { body });
});

after(async () => {
  await engine.close();
  await Promise.all([digestServer.close(), basicServer.close(), plain.close()]);
  dir.cleanup();
});

async function newJob(
  url: string,
  options: { digest?: string; checksumUrl?: string } = {},
): Promise<Job> {
  n++;
  const job = engine.createJob({ displayName: `job-${n}` });
  await job.addFile(url, dir.file(`out-${n}.bin`), options);
  return job;
}

/** Every byte of the store: the database and its journals. */
function storeBytes(): Buffer {
  const data = join(dir.path, 'data');
  return Buffer.concat(
    readdirSync(data)
      .filter((name) => name.startsWith('ferry.db'))
      .map((name) => readFileSync(join(data, name))),
  );
}

describe('credentials', () => {
  it('Digest SERVER credentials download a protected file; the store never holds the password', async () => {
    const job = await newJob(digestServer.url('/f.bin'));
    await job.setCredentials({
      target: 'SERVER',
      scheme: 'DIGEST',
      userName: 'alice',
      password: PASSWORD,
    });
    assert.deepEqual(job.getCredentials(), [
      { target: 'SERVER', scheme: 'DIGEST', userName: 'alice' },
    ]);
    assert.ok(!JSON.stringify(job.info()).includes(PASSWORD));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await job.complete();
    assert.ok(readFileSync(dir.file(`out-${n}.bin`)).equals(body));
    assert.equal(storeBytes().indexOf(PASSWORD), -1, 'the password is in the store in clear');
  });

  it('a 401 without credentials is ERROR (not transient) saying which are missing', async () => {
    const job = await newJob(basicServer.url('/f.bin'));
    await job.resume();
    await waitForState(job, 'ERROR');
    const error = job.getError();
    assert.equal(error?.code, 'HTTP_ACCESS_DENIED');
    assert.equal(error.context, 'REMOTE_FILE');
    assert.equal(error.httpStatus, 401);
    assert.match(error.message, /the job has no server credentials/);
    // The fix is SetCredentials then Resume.
    await job.setCredentials({
      target: 'SERVER',
      scheme: 'BASIC',
      userName: 'alice',
      password: PASSWORD,
    });
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
  });

  it('rejected credentials are ERROR naming scheme and user, never the password', async () => {
    const job = await newJob(basicServer.url('/f.bin'));
    await job.setCredentials({
      target: 'SERVER',
      scheme: 'BASIC',
      userName: 'alice',
      password: 'wrong-one',
    });
    await job.resume();
    await waitForState(job, 'ERROR');
    const error = job.getError();
    assert.match(
      error?.message ?? '',
      /rejected the job's server credentials \(Basic, user 'alice'\)/,
    );
    assert.doesNotMatch(error?.message ?? '', /wrong-one/);
    await job.removeCredentials('SERVER', 'BASIC');
    assert.deepEqual(job.getCredentials(), []);
  });

  it("a URL's user:password@ becomes the job's SERVER credentials and leaves the URL", async () => {
    const url = new URL(digestServer.url('/f.bin'));
    url.username = 'alice';
    url.password = encodeURIComponent(PASSWORD);
    const job = await newJob(url.href);
    assert.equal(job.enumFiles()[0]?.remoteName, digestServer.url('/f.bin'));
    assert.deepEqual(job.getCredentials(), [
      { target: 'SERVER', scheme: 'BASIC', userName: 'alice' },
      { target: 'SERVER', scheme: 'DIGEST', userName: 'alice' },
    ]);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.equal(storeBytes().indexOf(PASSWORD), -1, 'the password is in the store in clear');
  });

  it('credentials survive a restart of the engine', async () => {
    const job = await newJob(basicServer.url('/f.bin'));
    await job.setCredentials({
      target: 'SERVER',
      scheme: 'BASIC',
      userName: 'alice',
      password: PASSWORD,
    });
    const id = job.id;
    await engine.close();
    engine = startEngine(dir);
    const again = engine.getJob(id);
    assert.deepEqual(again.getCredentials(), [
      { target: 'SERVER', scheme: 'BASIC', userName: 'alice' },
    ]);
    await again.resume();
    await waitForState(again, 'TRANSFERRED');
  });
});

describe('validation before Complete', () => {
  it('a digest the user gave is checked: a match is verified and valid', async () => {
    const job = await newJob(plain.url('/f.bin'), { digest: `sha256:${hex('sha256')}` });
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.deepEqual(job.getValidationState(0), {
      digest: { algorithm: 'sha-256', hex: hex('sha256'), source: 'user' },
      outcome: 'verified',
      valid: true,
      downloadedFromPeer: false,
      checksumUrl: null,
    });
    assert.equal(job.isDownloadedFromPeer(0), false);
  });

  it('a mismatch is ERROR naming file, expected and actual; Complete leaves the file out', async () => {
    const wrong = 'ab'.repeat(32);
    const job = await newJob(plain.url('/f.bin'), { digest: `sha256:${wrong}` });
    await job.resume();
    await waitForState(job, 'ERROR');
    const error = job.getError();
    assert.equal(error?.code, 'FILE_VALIDATION_FAILED');
    assert.equal(error.fileIndex, 0);
    assert.match(error.message, new RegExp(`out-${n}\\.bin`));
    assert.match(error.message, new RegExp(`expected sha-256 ${wrong}`));
    assert.match(error.message, new RegExp(`got ${hex('sha256')}`));
    assert.equal(job.getValidationState(0)?.outcome, 'mismatch');
    assert.equal(job.enumFiles()[0]?.progress.transferred, false);
    const result = await job.complete();
    assert.equal(result.partial, true);
    assert.equal(existsSync(dir.file(`out-${n}.bin`)), false);
  });

  it("a server's Repr-Digest is checked, and a lying one fails the job", async () => {
    plain.setFile('/announced.bin', {
      body,
      headers: { 'repr-digest': `sha-512=:${createHash('sha512').update(body).digest('base64')}:` },
    });
    plain.setFile('/lying.bin', {
      body,
      headers: { 'content-digest': `md5=:${createHash('md5').update('other').digest('base64')}:` },
    });
    const good = await newJob(plain.url('/announced.bin'));
    await good.resume();
    await waitForState(good, 'TRANSFERRED');
    assert.equal(good.getValidationState(0)?.digest?.source, 'server');
    assert.equal(good.getValidationState(0)?.outcome, 'verified');
    const lying = await newJob(plain.url('/lying.bin'));
    await lying.resume();
    await waitForState(lying, 'ERROR');
    assert.equal(lying.getError()?.code, 'FILE_VALIDATION_FAILED');
    assert.match(lying.getError()?.message ?? '', /announced by the server/);
  });

  it('a file fetched over several connections is checked by reading it once', async () => {
    const job = await newJob(plain.url('/f.bin'), { digest: `md5:${hex('md5')}` });
    await job.setTransferPolicy({ connectionsPerFile: 4 });
    engine.setSettings({ minSegmentSize: 64 * 1024 });
    const before = plain.requests.length;
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    assert.ok(
      plain.requests.slice(before).some((r) => r.status === 206),
      'the file went over ranges',
    );
    assert.equal(job.getValidationState(0)?.outcome, 'verified');
  });

  it('SetValidationState(false) puts the job in ERROR and Resume downloads the file again', async () => {
    const job = await newJob(plain.url('/f.bin'));
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    await assert.rejects(job.setValidationState(5, true), /has no file 5/);
    await job.setValidationState(0, true);
    assert.equal(job.getValidationState(0)?.valid, true);
    const before = plain.requests.length;
    await job.setValidationState(0, false);
    assert.equal(job.getState(), 'ERROR');
    assert.equal(job.getError()?.code, 'FILE_VALIDATION_FAILED');
    assert.equal(job.getValidationState(0)?.outcome, 'rejected');
    assert.equal(job.enumFiles()[0]?.progress.bytesTransferred, 0);
    await job.resume();
    await waitForState(job, 'TRANSFERRED');
    // Downloaded again from the start: a request without a Range (or from byte 0).
    assert.ok(
      plain.requests
        .slice(before)
        .some((r) => r.range === undefined || r.range.startsWith('bytes=0-')),
    );
    await job.complete();
    assert.ok(readFileSync(dir.file(`out-${n}.bin`)).equals(body));
  });

  it('reads the digest from a checksum file the user names, before the transfer', async () => {
    plain.setFile('/f.bin.sha256', { body: Buffer.from(`${hex('sha256')}  f.bin\n`) });
    plain.setFile('/SHA512SUMS', {
      body: Buffer.from(`${'0'.repeat(128)}  other.iso\n${hex('sha512')} *f.bin\n`),
    });
    const beside = await newJob(plain.url('/f.bin'), { checksumUrl: plain.url('/f.bin.sha256') });
    const sums = await newJob(plain.url('/f.bin'), { checksumUrl: plain.url('/SHA512SUMS') });
    await Promise.all([beside.resume(), sums.resume()]);
    await waitForState(beside, 'TRANSFERRED');
    await waitForState(sums, 'TRANSFERRED');
    assert.deepEqual(beside.getValidationState(0)?.digest, {
      algorithm: 'sha-256',
      hex: hex('sha256'),
      source: 'checksum-file',
    });
    assert.equal(sums.getValidationState(0)?.digest?.algorithm, 'sha-512');
    assert.equal(sums.getValidationState(0)?.outcome, 'verified');
    // A checksum file that is not there fails the job before the file is fetched.
    const before = plain.requests.length;
    const missing = await newJob(plain.url('/f.bin'), { checksumUrl: plain.url('/nope.sha256') });
    await missing.resume();
    await waitForState(missing, 'ERROR');
    assert.equal(missing.getError()?.code, 'HTTP_NOT_FOUND');
    assert.match(missing.getError()?.message ?? '', /nope\.sha256/);
    assert.deepEqual(
      plain.requests.slice(before).map((r) => r.path),
      ['/nope.sha256'],
    );
  });

  it('refuses a malformed digest at AddFile with INPUT_INVALID and adds nothing', async () => {
    const job = engine.createJob({ displayName: 'bad-digest' });
    await assert.rejects(
      job.addFile(plain.url('/f.bin'), dir.file('bad.bin'), { digest: 'sha256:1234' }),
      /INPUT_INVALID|64 hex digits/,
    );
    assert.equal(job.enumFiles().length, 0);
  });
});
