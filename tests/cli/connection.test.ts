// How the real `ferry` bin finds its server: auto-start in the background, reuse, and the
// unreachable / unauthorized exits.
import assert from 'node:assert/strict';
import { copyFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { jobDetailsSchema, parseJson } from './contract-schemas.js';
import { killAndWait, readServerJson, runFerry, serveDataDir, tempDir } from './harness.js';
import type { FerryRun } from './harness.js';

function assertFailure(run: FerryRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^ferry: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(run.stderr, pattern);
}

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return address.port;
}

describe('ferry connection', () => {
  const pids: number[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const pid of pids) await killAndWait(pid);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('starts a background server when none runs, then reuses it', async () => {
    const dataDir = await tempDir('auto');
    dirs.push(dataDir);
    const first = await runFerry(['--data-dir', dataDir, '--port', '0', 'create', 'auto']);
    const record = readServerJson(dataDir);
    if (record !== null) pids.push(record.pid);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(record !== null, 'server.json written');
    assert.notEqual(record.pid, process.pid);
    // The log holds the token URL: it is private like rpc-token.
    assert.equal((await stat(join(dataDir, 'server.log'))).mode & 0o077, 0);

    const second = await runFerry(['--data-dir', dataDir, '--no-start', 'info', 'auto', '--json']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(parseJson(jobDetailsSchema, second.stdout).state, 'SUSPENDED');
    assert.equal(readServerJson(dataDir)?.pid, record.pid, 'the same server answered');
  });

  // Guards against an out-of-range --port passing the CLI's check: it used to start a background
  // server that crashed on it, and the user got "server unreachable" (exit 5) instead of a
  // usage error naming the port.
  it('exits 2 naming the port when --port is out of range, starting nothing', async () => {
    const dataDir = await tempDir('bad-port');
    dirs.push(dataDir);
    assertFailure(
      await runFerry(['--data-dir', dataDir, '--port', '70000', 'list']),
      2,
      /Invalid port '70000': must be from 0 \(any free port\) to 65535 \(INPUT_INVALID\)/,
    );
    assert.equal(readServerJson(dataDir), null, 'no server was started');
  });

  it('exits 5 when no server runs and --no-start forbids starting one (stale server.json)', async () => {
    const dataDir = await tempDir('stale');
    dirs.push(dataDir);
    // A pid above Linux's default pid_max (4194304): no process has it.
    await writeFile(
      join(dataDir, 'server.json'),
      JSON.stringify({ pid: 2 ** 22 + 1, port: await deadPort(), url: 'http://127.0.0.1:1/' }),
    );
    assertFailure(
      await runFerry(['--data-dir', dataDir, '--no-start', 'list']),
      5,
      /No Ferry server runs for .* \(RPC_UNREACHABLE\)/,
    );
  });

  it('exits 5 when the recorded server does not answer', async () => {
    const dataDir = await tempDir('dead');
    dirs.push(dataDir);
    // A live pid (this test process) on a port where nothing listens.
    const port = await deadPort();
    await writeFile(
      join(dataDir, 'server.json'),
      JSON.stringify({ pid: process.pid, port, url: `http://127.0.0.1:${String(port)}/` }),
    );
    await writeFile(join(dataDir, 'rpc-token'), `${'0'.repeat(64)}\n`, { mode: 0o600 });
    assertFailure(
      await runFerry(['--data-dir', dataDir, 'list']),
      5,
      new RegExp(`does not answer on 127\\.0\\.0\\.1:${String(port)} \\(RPC_UNREACHABLE\\)`),
    );
  });

  it('exits 6 when the server refuses the token', async () => {
    const served = await serveDataDir();
    const copy = await tempDir('copy');
    dirs.push(copy);
    try {
      await copyFile(join(served.dataDir, 'server.json'), join(copy, 'server.json'));
      await writeFile(join(copy, 'rpc-token'), `${'f'.repeat(64)}\n`, { mode: 0o600 });
      assertFailure(
        await runFerry(['--data-dir', copy, 'list']),
        6,
        /refused the access token \(RPC_UNAUTHORIZED\)/,
      );
      // The right token works.
      const ok = await served.ferry(['list', '--json']);
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await served.close();
    }
  });
});
