// Upload jobs through the real `ferry` bin: `ferry upload-server` as a child process, an
// upload-reply job created, filled, resumed and completed with the bitsadmin-style commands
// against a real `ferry serve`, and the upload commands' error paths.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/child-process.js';
import { FERRY_BIN, serveDataDir, tempDir } from './harness.js';
import type { FerryRun, ServedDataDir } from './harness.js';

/** One stderr line naming the problem, and nothing on stdout. */
function assertFailure(run: FerryRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^ferry: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(run.stderr, pattern);
}

/** `ferry upload-server` in the foreground, and the URL it prints. */
async function startUploadServer(
  dir: string,
  extra: readonly string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [FERRY_BIN, '--port', '0', 'upload-server', '--dir', dir, '--replies', ...extra],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      errors += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = / at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('close', (code) => {
      reject(new Error(`ferry upload-server exited (${String(code)}): ${errors}`));
    });
  });
  return { child, url };
}

describe('ferry upload jobs', () => {
  let served: ServedDataDir;
  let work: string;
  let upload: { child: ChildProcess; url: string };

  before(async () => {
    served = await serveDataDir();
    work = await tempDir('upload');
    upload = await startUploadServer(join(work, 'store'));
  });
  after(async () => {
    const closed = new Promise((resolve) => upload.child.once('close', resolve));
    upload.child.kill('SIGTERM');
    await closed;
    await served.close();
    await rm(work, { recursive: true, force: true });
  });

  it('create --upload-reply, addfile, setreplyfilename, resume, getreplydata, complete', async () => {
    const bytes = randomBytes(300_000);
    const source = join(work, 'report.bin');
    await writeFile(source, bytes);
    const created = await served.ferry(['create', 'report', '--upload-reply']);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    const added = await served.ferry(['addfile', id, `${upload.url}in/report.bin`, source]);
    assert.equal(added.code, 0, added.stderr);

    const second = await served.ferry(['addfile', id, `${upload.url}in/other.bin`, source]);
    assertFailure(second, 2, /exactly one file/);

    const replyName = join(work, 'report.reply.json');
    const named = await served.ferry(['setreplyfilename', id, replyName]);
    assert.equal(named.code, 0, named.stderr);
    assert.equal((await served.ferry(['getreplyfilename', id])).stdout.trim(), replyName);

    assert.equal((await served.ferry(['resume', id])).code, 0);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const info = JSON.parse((await served.ferry(['info', id, '--json'])).stdout) as {
        state: string;
        type: string;
      };
      assert.equal(info.type, 'UPLOAD_REPLY');
      if (info.state === 'TRANSFERRED') break;
      assert.ok(!['ERROR', 'CANCELLED'].includes(info.state), info.state);
      assert.ok(Date.now() < deadline, `still ${info.state}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const progress = await served.ferry(['getreplyprogress', id]);
    assert.match(progress.stdout, /^(\d+) of \1 bytes\n$/);
    const data = await served.ferry(['getreplydata', id]);
    assert.equal(data.code, 0, data.stderr);
    const reply = JSON.parse(data.stdout) as { name: string; bytes: number };
    assert.deepEqual(
      { name: reply.name, bytes: reply.bytes },
      { name: 'report.bin', bytes: 300_000 },
    );

    const completed = await served.ferry(['complete', id]);
    assert.equal(completed.code, 0, completed.stderr);
    assert.match(completed.stdout, /ACKNOWLEDGED/);
    assert.ok(readFileSync(join(work, 'store', 'in', 'report.bin')).equals(bytes));
    assert.equal(readFileSync(replyName, 'utf8'), data.stdout);
  });

  it('upload-server --auth-file asks every packet for Basic credentials', async () => {
    const authFile = join(work, 'auth.txt');
    await writeFile(authFile, 'ann:s3cret\n');
    const guarded = await startUploadServer(join(work, 'guarded'), ['--auth-file', authFile]);
    try {
      const ping = (authorization?: string): Promise<Response> =>
        fetch(`${guarded.url}x.bin`, {
          method: 'BITS_POST',
          headers: {
            'BITS-Packet-Type': 'Ping',
            ...(authorization === undefined ? {} : { authorization }),
          },
        });
      const refused = await ping();
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic realm=/);
      const wrong = await ping(`Basic ${Buffer.from('ann:nope').toString('base64')}`);
      assert.equal(wrong.status, 401);
      const right = await ping(`Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
      assert.equal(right.status, 200);
      assert.equal(right.headers.get('bits-packet-type'), 'Ack');
    } finally {
      const closed = new Promise((resolve) => guarded.child.once('close', resolve));
      guarded.child.kill('SIGTERM');
      await closed;
    }
  });

  it('refuses conflicting types, a missing file, and a reply on a plain upload', async () => {
    assertFailure(
      await served.ferry(['create', 'both', '--upload', '--upload-reply']),
      2,
      /one of --upload and --upload-reply/,
    );
    const created = await served.ferry(['create', 'plain', '--upload']);
    const id = created.stdout.trim();
    assertFailure(
      await served.ferry(['addfile', id, `${upload.url}x.bin`, join(work, 'missing.bin')]),
      2,
      /missing\.bin.*no such file/,
    );
    assertFailure(
      await served.ferry(['setreplyfilename', id, join(work, 'r.json')]),
      2,
      /only UPLOAD_REPLY jobs have a reply/,
    );
    assertFailure(await served.ferry(['getreplyfilename', id]), 2, /UPLOAD job/);
    assert.equal(existsSync(join(work, 'r.json')), false);
  });
});
