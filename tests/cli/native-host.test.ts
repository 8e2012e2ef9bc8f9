// `ferry native-host` as the browser runs it: a real child speaking native messaging on its
// stdin and stdout, starting a background server when none runs, and refusing to serve when
// it was not started for an extension.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import type { HostMessage } from '../../app/index.js';
import { NativeMessageDecoder, encodeNativeMessage } from '../../main/native-host/framing.js';
import { FERRY_BIN, killAndWait, readServerJson, runFerry, tempDir } from './harness.js';

const ORIGIN = 'chrome-extension://bnkancopcdgnnfppgbepbplhmbojaieo/';

/** Runs the host with `args`, writes `messages` and collects what it answers until it exits. */
function runHost(
  dataDir: string,
  args: readonly string[],
  messages: readonly unknown[],
  until: (received: readonly HostMessage[]) => boolean,
): Promise<{ code: number | null; received: HostMessage[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FERRY_BIN, '--data-dir', dataDir, 'native-host', ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const decoder = new NativeMessageDecoder(2 * 1024 * 1024);
    const received: HostMessage[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the host did not answer in time; stderr: ${stderr}`));
    }, 30_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      received.push(...(decoder.push(chunk) as HostMessage[]));
      // The browser closes the port once it has what it wanted: stdin ends, the host exits.
      if (until(received)) child.stdin.end();
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, received, stderr });
    });
    for (const message of messages) child.stdin.write(encodeNativeMessage(message));
  });
}

describe('ferry native-host', () => {
  const dirs: string[] = [];
  const servers: number[] = [];
  after(async () => {
    for (const pid of servers) await killAndWait(pid);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("starts Ferry's server when none runs and asks for pairing on hello", async () => {
    const dataDir = await tempDir('native-host');
    dirs.push(dataDir);
    const run = await runHost(
      dataDir,
      [ORIGIN],
      [{ type: 'request', id: 1, request: { kind: 'hello', label: 'Ferry 0.1.0' } }],
      (received) => received.some((m) => m.type === 'reply'),
    );
    const server = readServerJson(dataDir);
    if (server !== null) servers.push(server.pid);
    assert.deepEqual(run.received, [
      { type: 'reply', id: 1, ok: true, value: { status: 'pending' } },
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(server !== null, 'a background server was started');

    const listed = await runFerry(['--data-dir', dataDir, 'browsers', '--json']);
    const view = JSON.parse(listed.stdout) as { pending: { extensionId: string }[] };
    assert.deepEqual(
      view.pending.map((p) => p.extensionId),
      ['bnkancopcdgnnfppgbepbplhmbojaieo'],
    );
  });

  it('answers nothing but a fatal message when not started for an extension', async () => {
    const dataDir = await tempDir('native-host-page');
    dirs.push(dataDir);
    const run = await runHost(
      dataDir,
      ['https://evil.example/'],
      [{ type: 'request', id: 1, request: { kind: 'hello', label: 'x' } }],
      () => false,
    );
    assert.equal(run.code, 1);
    assert.equal(run.received.length, 1);
    assert.equal(run.received[0]?.type, 'fatal');
    assert.equal(readServerJson(dataDir), null, 'no server was started for it');
  });
});
