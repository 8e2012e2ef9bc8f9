// `ferry setcreds` / `removecreds`, `addfile --sha256`, `getvalidationstate` and
// `setvalidationstate` through the real bin against a real `ferry serve`: the password never
// travels on a command line, never shows in output, and never lands in the store in clear.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAuthServer } from '../support/auth-server.js';
import type { AuthServer } from '../support/auth-server.js';
import { jobDetailsSchema, parseJson } from './contract-schemas.js';
import { FERRY_BIN, serveDataDir } from './harness.js';
import type { FerryRun, ServedDataDir } from './harness.js';

const PASSWORD = 'cli-Pw-91c2-secret';
const body = Buffer.alloc(300_000, 7);
const sha256 = createHash('sha256').update(body).digest('hex');

/** Runs ferry with `input` on its stdin (the harness closes stdin). */
function ferryWithStdin(served: ServedDataDir, args: readonly string[], input: string) {
  return new Promise<FerryRun>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FERRY_BIN, '--data-dir', served.dataDir, '--no-start', ...args],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('ferry credentials and validation commands', () => {
  let served: ServedDataDir;
  let server: AuthServer;
  let out: string;

  before(async () => {
    server = await startAuthServer({ scheme: 'digest', user: 'alice', password: PASSWORD });
    server.setFile('/f.bin', { body });
    served = await serveDataDir();
    out = `${served.dataDir}-out`;
    await mkdir(out);
  });
  after(async () => {
    await served.close();
    await server.close();
    await rm(out, { recursive: true, force: true });
  });

  it('setcreds from stdin, addfile --sha256, resume: verified; nothing shows the password', async () => {
    const created = await served.ferry(['create', 'creds job']);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    const added = await served.ferry([
      'addfile',
      id,
      server.url('/f.bin'),
      join(out, 'f.bin'),
      '--sha256',
      sha256,
    ]);
    assert.equal(added.code, 0, added.stderr);

    const set = await ferryWithStdin(
      served,
      [
        'setcreds',
        id,
        '--target',
        'server',
        '--scheme',
        'digest',
        '--user',
        'alice',
        '--password-stdin',
        '--json',
      ],
      `${PASSWORD}\n`,
    );
    assert.equal(set.code, 0, set.stderr);
    const job = parseJson(jobDetailsSchema, set.stdout);
    assert.deepEqual(job.credentials, [{ target: 'SERVER', scheme: 'DIGEST', userName: 'alice' }]);
    assert.ok(!set.stdout.includes(PASSWORD) && !set.stderr.includes(PASSWORD));

    assert.equal((await served.ferry(['resume', id])).code, 0);
    let state = '';
    for (let i = 0; i < 200 && state !== 'TRANSFERRED'; i++) {
      const info = await served.ferry(['info', id, '--json']);
      state = parseJson(jobDetailsSchema, info.stdout).state;
      if (state === 'ERROR') assert.fail(info.stdout);
    }
    assert.equal(state, 'TRANSFERRED');
    const validation = await served.ferry(['getvalidationstate', id]);
    assert.match(
      validation.stdout,
      new RegExp(`^0  valid  verified  sha-256 ${sha256} \\(user\\)`),
    );

    const store = await readdir(served.dataDir);
    for (const name of store.filter((n) => n.startsWith('ferry.db'))) {
      const bytes = await readFile(join(served.dataDir, name));
      assert.equal(bytes.indexOf(PASSWORD), -1, `${name} holds the password in clear`);
    }

    const removed = await served.ferry([
      'removecreds',
      id,
      '--target',
      'server',
      '--scheme',
      'digest',
      '--json',
    ]);
    assert.deepEqual(parseJson(jobDetailsSchema, removed.stdout).credentials, []);

    const invalid = await served.ferry(['setvalidationstate', id, '0', 'false']);
    assert.equal(invalid.code, 0, invalid.stderr);
    assert.match(invalid.stdout, /file 0 marked invalid; job ERROR/);
  });

  it('refuses a password source that is missing, and NTLM, with a usage error', async () => {
    const created = await served.ferry(['create', 'refusals']);
    const id = created.stdout.trim();
    // Stdin is not a terminal and no source was named: refused, never a password prompt.
    const missing = await served.ferry([
      'setcreds',
      id,
      '--target',
      'server',
      '--scheme',
      'basic',
      '--user',
      'u',
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--password-stdin.*never taken from the command line/);
    const ntlm = await served.ferry(
      [
        'setcreds',
        id,
        '--target',
        'server',
        '--scheme',
        'ntlm',
        '--user',
        'u',
        '--password-env',
        'FERRY_PW',
      ],
      { env: { FERRY_PW: 'x' } },
    );
    assert.equal(ntlm.code, 2);
    assert.match(ntlm.stderr, /does not speak NTLM/);
    const badDigest = await served.ferry([
      'addfile',
      id,
      server.url('/f.bin'),
      join(out, 'x.bin'),
      '--digest',
      'sha512:abc',
    ]);
    assert.equal(badDigest.code, 2);
    assert.match(badDigest.stderr, /128 hex digits for sha-512/);
  });

  it("addfile with user:password@ in the URL keeps neither in the job's URL nor in the output", async () => {
    const created = await served.ferry(['create', 'userinfo']);
    const id = created.stdout.trim();
    const url = new URL(server.url('/f.bin'));
    url.username = 'alice';
    url.password = PASSWORD;
    const added = await served.ferry([
      'addfile',
      id,
      url.href,
      join(out, 'u.bin'),
      '--checksum-beside',
      '--json',
    ]);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(!added.stdout.includes(PASSWORD));
    const job = parseJson(jobDetailsSchema, added.stdout);
    assert.equal(job.files[0]?.remoteName, server.url('/f.bin'));
    assert.equal(job.credentials.length, 2);
    // The checksum file beside it, named without the credentials either.
    assert.equal(job.files[0].validation.checksumUrl, `${server.url('/f.bin')}.sha256`);
  });
});
