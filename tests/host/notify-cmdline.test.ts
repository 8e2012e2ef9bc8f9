// The notify command line (a program the engine runs when a job transfers or fails) cannot be
// turned into code execution by a compromised window: the program must be an absolute path to
// an existing executable file, a window's request is stored only once the user confirmed the
// full command (refused outright where there is no dialog), the CLI sets it as before, and
// every run is logged with its job id.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Envelope, JobDetails, NotifyCmdLine } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost, createLocalClient } from '../../main/host/index.js';
import type { ClientLink, EngineHost } from '../../main/host/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let server: TestServer;
let script: string;
const warnings: string[] = [];

before(async () => {
  server = await startTestServer();
  dir = makeTempDir();
  engine = startEngine(dir, { onWarning: (message) => warnings.push(message) });
  script = dir.file('notify.sh');
  writeFileSync(script, `#!/bin/sh\necho "$1" > '${dir.file('ran.txt')}'\n`);
  chmodSync(script, 0o755);
  writeFileSync(dir.file('plain.txt'), 'not a program');
  chmodSync(dir.file('plain.txt'), 0o644);
  mkdirSync(dir.file('folder'));
});

after(async () => {
  await engine.close();
  await server.close();
  dir.cleanup();
});

/** Invokes through a host as a client of `kind` would (its link is the caller). */
async function invokeAs(
  host: EngineHost,
  kind: 'window' | 'script',
  command: string,
  input: unknown,
): Promise<Envelope<unknown>> {
  const link: ClientLink = host.connect(() => undefined, kind);
  try {
    return await host.invoke(command, input, link);
  } finally {
    link.close();
  }
}

const cmdLineOf = (id: string): NotifyCmdLine | null => engine.getJob(id).getNotifyCmdLine();

describe('notify command line', () => {
  it('refuses a relative, missing, non-file or non-executable program, changing nothing', async () => {
    const host = createEngineHost({ engine, host: 'server', version: 'test' });
    const id = engine.createJob({ displayName: 'checked' }).getId();
    const cases: [string, string, RegExp][] = [
      ['notify.sh', 'INPUT_INVALID', /must be an absolute path to a program/],
      [dir.file('missing.sh'), 'INPUT_INVALID', /does not exist/],
      [dir.file('folder'), 'INPUT_INVALID', /is not a file/],
      [dir.file('plain.txt'), 'INPUT_INVALID', /is not executable/],
    ];
    for (const [program, code, message] of cases) {
      for (const kind of ['script', 'window'] as const) {
        const envelope = await invokeAs(host, kind, 'job.setNotifyCmdLine', {
          jobId: id,
          cmdLine: { program, args: [] },
        });
        assert.ok(!envelope.ok, `${kind} set ${program}`);
        assert.equal(envelope.error.code, code, program);
        assert.match(envelope.error.message, message, program);
      }
    }
    assert.equal(cmdLineOf(id), null);
    host.close();
  });

  it('stores a script client request (the CLI) at once', async () => {
    const host = createEngineHost({ engine, host: 'server', version: 'test' });
    const id = engine.createJob({ displayName: 'cli' }).getId();
    const envelope = await invokeAs(host, 'script', 'job.setNotifyCmdLine', {
      jobId: id,
      cmdLine: { program: script, args: ['done'] },
    });
    assert.ok(envelope.ok);
    assert.deepEqual((envelope.value as JobDetails).notifyCmdLine, {
      program: script,
      args: ['done'],
    });
    host.close();
  });

  it('refuses a window request where no dialog can confirm it (a browser window)', async () => {
    const host = createEngineHost({ engine, host: 'server', version: 'test' });
    const id = engine.createJob({ displayName: 'browser' }).getId();
    const envelope = await invokeAs(host, 'window', 'job.setNotifyCmdLine', {
      jobId: id,
      cmdLine: { program: script, args: ['x y'] },
    });
    assert.ok(!envelope.ok);
    assert.equal(envelope.error.code, 'INPUT_NOT_CONFIRMED');
    assert.match(
      envelope.error.message,
      new RegExp(`ferry setnotifycmdline ${id} ${script} 'x y'`),
    );
    assert.equal(cmdLineOf(id), null);
    // Clearing needs no confirmation.
    const cleared = await invokeAs(host, 'window', 'job.setNotifyCmdLine', {
      jobId: id,
      cmdLine: null,
    });
    assert.ok(cleared.ok);
    host.close();
  });

  it('holds a window request for the user, shows the full command, and stores it only if confirmed', async () => {
    const asked: string[] = [];
    let answer = false;
    const host = createEngineHost({
      engine,
      host: 'desktop',
      version: 'test',
      confirmNotifyCmdLine: ({ job, text }) => {
        asked.push(`${job.displayName}: ${text}`);
        return Promise.resolve(answer);
      },
    });
    const id = engine.createJob({ displayName: 'desktop' }).getId();
    const request = { jobId: id, cmdLine: { program: script, args: ['--job', "it's done"] } };
    const refused = await invokeAs(host, 'window', 'job.setNotifyCmdLine', request);
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'INPUT_NOT_CONFIRMED');
    assert.equal(cmdLineOf(id), null);
    answer = true;
    const stored = await invokeAs(host, 'window', 'job.setNotifyCmdLine', request);
    assert.ok(stored.ok);
    assert.deepEqual(cmdLineOf(id), request.cmdLine);
    const full = `desktop: ${script} --job 'it'\\''s done'`;
    assert.deepEqual(asked, [full, full]);
    // The local client used by in-process shells is a script: no dialog.
    const local = createLocalClient(host);
    await local.invoke('job.setNotifyCmdLine', { jobId: id, cmdLine: null });
    assert.equal(asked.length, 2);
    host.close();
  });

  it('logs every run of a notify command line with the job id', async () => {
    server.setFile('/gone.bin', { body: Buffer.alloc(0), status: 410 });
    const job = engine.createJob({ displayName: 'logged' });
    await job.addFile(server.url('/gone.bin'), dir.file('gone.bin'));
    await job.setNotifyCmdLine({ program: script, args: [job.getId()] });
    await job.resume();
    await waitForState(job, 'ERROR');
    await waitFor(() => existsSync(dir.file('ran.txt')), 'the program to run');
    await waitFor(
      () => readFileSync(dir.file('ran.txt'), 'utf8').trim() === job.getId(),
      'its output',
    );
    assert.ok(
      warnings.some(
        (w) =>
          w === `Running the notify command line of job ${job.getId()}: ${script} ${job.getId()}`,
      ),
      warnings.join('\n'),
    );
    await job.cancel();
  });
});
