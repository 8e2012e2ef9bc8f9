// The contract as the host enforces it: every command's input is checked by its schema before
// anything reaches the engine, a rejected command changes nothing, and results and errors come
// back as envelopes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CommandName, JobDetails } from '../../app/index.js';
import { COMMAND_NAMES, COMMANDS } from '../../app/index.js';
import { networkEnvironment } from '../../app/network-environment.js';
import { valueDigest } from '../../main/cli/value-digest.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { makeTempDir, startEngine } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;

before(() => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
});

after(async () => {
  host.close();
  await engine.close();
  dir.cleanup();
});

async function call(command: string, input: unknown): Promise<unknown> {
  const envelope = await host.invoke(command, input);
  if (!envelope.ok) throw new Error(`${command} failed: ${envelope.error.message}`);
  return envelope.value;
}

async function newJob(name: string): Promise<JobDetails> {
  const job = (await call('job.create', { displayName: name })) as JobDetails;
  await call('job.addFile', {
    jobId: job.id,
    remoteUrl: 'http://127.0.0.1:9/never.bin',
    localName: dir.file(`${name}.bin`),
  });
  return (await call('job.get', { jobId: job.id })) as JobDetails;
}

/** One malformed input per command: a field of the wrong type or an unknown field. */
const MALFORMED: Readonly<Record<CommandName, (jobId: string) => unknown>> = {
  'engine.info': () => ({ verbose: true }),
  'job.create': () => ({ displayName: 42 }),
  'job.get': () => ({ jobId: 'not-a-guid' }),
  'job.addFile': (jobId) => ({ jobId, remoteUrl: '', localName: '/tmp/x' }),
  'job.addFileSet': (jobId) => ({ jobId, files: [] }),
  'job.resume': (jobId) => ({ jobId, now: true }),
  'job.suspend': () => ({}),
  'job.complete': () => ({ jobId: 7 }),
  'job.cancel': () => null,
  'job.takeOwnership': () => 'job',
  'job.setDisplayName': (jobId) => ({ jobId, displayName: '' }),
  'job.setDescription': (jobId) => ({ jobId, description: 'x'.repeat(5000) }),
  'job.setPriority': (jobId) => ({ jobId, priority: 'URGENT' }),
  'job.setMinimumRetryDelay': (jobId) => ({ jobId, seconds: -1 }),
  'job.setNoProgressTimeout': (jobId) => ({ jobId, seconds: 'soon' }),
  'job.setMaximumDownloadTime': (jobId) => ({ jobId, seconds: -1 }),
  'job.setNotifyFlags': (jobId) => ({ jobId, flags: 0x100 }),
  'job.setNotifyCmdLine': (jobId) => ({ jobId, cmdLine: { program: '' } }),
  'job.setNotifyInterface': (jobId) => ({ jobId, enabled: 'yes' }),
  'job.stateLog': (jobId) => ({ jobId, since: 0 }),
  'jobs.setNotifyInterface': () => ({}),
  'job.setProxySettings': (jobId) => ({ jobId, proxy: { usage: 'OVERRIDE', proxyList: [] } }),
  'job.setCustomHeaders': (jobId) => ({ jobId, headers: ['Bad\r\nHeader: x'] }),
  'job.setTransferPolicy': (jobId) => ({ jobId, connectionsPerFile: 99 }),
  'job.setRemoteName': (jobId) => ({ jobId, fileIndex: -1, remoteUrl: 'http://x/' }),
  'job.setCredentials': (jobId) => ({
    jobId,
    target: 'SERVER',
    scheme: 'NTLM',
    userName: 'u',
    password: 'p',
  }),
  'job.removeCredentials': (jobId) => ({ jobId, target: 'CLIENT', scheme: 'BASIC' }),
  'job.setValidationState': (jobId) => ({ jobId, fileIndex: 0, valid: 'no' }),
  'job.setReplyFileName': (jobId) => ({ jobId, replyFileName: '' }),
  'job.getReplyData': (jobId) => ({ jobId, offset: 0 }),
  'job.replaceRemotePrefix': (jobId) => ({ jobId, oldPrefix: '', newPrefix: 'x' }),
  'jobs.enum': () => ({ allUsers: 'yes' }),
  'jobs.snapshot': () => ({ includeHistory: 1 }),
  'jobs.history': () => ({ page: 2 }),
  'jobs.removeFromHistory': () => ({ jobId: '' }),
  'jobs.clearHistory': () => ({ force: true }),
  'jobs.batch': (jobId) => ({ action: 'pause', jobIds: [jobId] }),
  'files.link': (jobId) => ({ jobId, fileIndex: -1 }),
  'folders.list': () => ({ path: 7 }),
  'files.open': (jobId) => ({ jobId, fileIndex: 0, reveal: 'yes' }),
  'folders.pick': () => ({ start: 7 }),
  'settings.get': () => ({ key: 'x' }),
  'settings.set': () => ({ engine: { maxConcurrentJobs: 0 } }),
  'downloads.plan': () => ({ urls: [], folder: '/tmp' }),
  'browser.pair': () => ({ extension: { browser: 'chromium', extensionId: 'abc' }, label: 'x' }),
  'browser.pairings': () => ({ all: true }),
  'browser.decide': () => ({ extension: { browser: 'firefox', extensionId: 'x' }, allow: 1 }),
  'browser.revoke': () => ({ extension: { browser: 'safari', extensionId: 'a' } }),
  'browser.handOff': () => ({
    extension: { browser: 'chromium', extensionId: 'a'.repeat(32) },
    items: [{ url: 'javascript:alert(1)' }],
  }),
  'browser.openAdd': () => ({
    extension: { browser: 'chromium', extensionId: 'a'.repeat(32) },
    urls: [],
  }),
  'browser.integrationStatus': () => ({ browsers: ['chrome'] }),
  'browser.integrate': () => ({ install: 'yes' }),
  'browser.recent': () => ({
    extension: { browser: 'chromium', extensionId: 'a'.repeat(32) },
    limit: 0,
  }),
};

describe('contract host', () => {
  it('has a malformed-input case for every command of the contract', () => {
    assert.deepEqual(Object.keys(MALFORMED).sort(), [...COMMAND_NAMES].sort());
  });

  it('rejects malformed input to every command with INPUT_INVALID naming the command, and changes nothing', async () => {
    const job = await newJob('untouched');
    const jobsBefore = await call('jobs.enum', { includeHistory: true });
    const settingsBefore = await call('settings.get', {});
    for (const command of COMMAND_NAMES) {
      const input = MALFORMED[command](job.id);
      const envelope = await host.invoke(command, input);
      assert.equal(envelope.ok, false, `${command} accepted ${JSON.stringify(input)}`);
      assert.equal(envelope.error.code, 'INPUT_INVALID', command);
      assert.match(
        envelope.error.message,
        new RegExp(`^Invalid input for ${command.replace('.', '\\.')}: `),
      );
    }
    assert.deepEqual(await call('jobs.enum', { includeHistory: true }), jobsBefore);
    assert.deepEqual(await call('settings.get', {}), settingsBefore);
  });

  it('refuses an unknown command name without touching the engine', async () => {
    for (const name of ['job.format', '__proto__', 'constructor', 42, null]) {
      const envelope = await host.invoke(name, {});
      assert.equal(envelope.ok, false);
      assert.equal(envelope.error.code, 'RPC_UNKNOWN_COMMAND');
    }
  });

  it('a command refused by the job model returns its error and leaves the job as it was', async () => {
    const job = await newJob('final');
    await call('job.cancel', { jobId: job.id });
    const before = await call('job.get', { jobId: job.id });
    for (const [command, input] of [
      ['job.resume', { jobId: job.id }],
      ['job.setPriority', { jobId: job.id, priority: 'HIGH' }],
      [
        'job.addFile',
        { jobId: job.id, remoteUrl: 'http://127.0.0.1:9/x', localName: dir.file('x') },
      ],
    ] as const) {
      const envelope = await host.invoke(command, input);
      assert.equal(envelope.ok, false, command);
      assert.equal(envelope.error.code, 'JOB_INVALID_STATE', command);
      assert.equal(envelope.error.state, 'CANCELLED', command);
    }
    assert.deepEqual(await call('job.get', { jobId: job.id }), before);
  });

  it('reports unknown jobs as JOB_NOT_FOUND', async () => {
    const envelope = await host.invoke('job.get', {
      jobId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(envelope.ok, false);
    assert.equal(envelope.error.code, 'JOB_NOT_FOUND');
  });

  it('marks exactly the commands that change nothing as reads', () => {
    const reads = COMMAND_NAMES.filter((name) => COMMANDS[name].read).sort();
    assert.deepEqual(reads, [
      'browser.integrationStatus',
      'browser.pairings',
      'browser.recent',
      'downloads.plan',
      'engine.info',
      'folders.list',
      'job.get',
      'job.getReplyData',
      'job.stateLog',
      'jobs.enum',
      'jobs.history',
      'jobs.snapshot',
      'settings.get',
    ]);
  });

  it('settings.set changes both halves or neither', async () => {
    const before = await call('settings.get', {});
    const refused = await host.invoke('settings.set', {
      engine: { maxConcurrentJobs: 5 },
      app: { theme: 'purple' },
    });
    assert.equal(refused.ok, false);
    assert.deepEqual(await call('settings.get', {}), before);
    const view = (await call('settings.set', {
      engine: { maxConcurrentJobs: 5 },
      app: { theme: 'dark', language: 'fr' },
    })) as { engine: { maxConcurrentJobs: number }; app: { theme: string; language: string } };
    assert.equal(view.engine.maxConcurrentJobs, 5);
    assert.equal(view.app.theme, 'dark');
    assert.equal(view.app.language, 'fr');
  });

  it('new jobs take the retry, no-progress and proxy defaults from the settings', async () => {
    const before = await call('settings.get', {});
    await call('settings.set', {
      engine: {
        defaultMinimumRetryDelay: 30,
        defaultNoProgressTimeout: 3600,
        defaultProxy: { usage: 'NO_PROXY' },
      },
    });
    const job = (await call('job.create', { displayName: 'with-defaults' })) as JobDetails;
    assert.equal(job.minimumRetryDelay, 30);
    assert.equal(job.noProgressTimeout, 3600);
    assert.deepEqual(job.proxy, { usage: 'NO_PROXY', proxyList: [], bypassList: [] });
    await call('settings.set', before);
  });

  it('engine.info names the host, data directory, user and pid', async () => {
    const info = (await call('engine.info', {})) as Record<string, unknown>;
    assert.deepEqual(info, {
      host: 'server',
      version: '0.0.0-test',
      pid: process.pid,
      dataDir: engine.dataDir,
      user: 'tester',
      defaultDownloadFolder: join(homedir(), 'Downloads'),
      network: networkEnvironment(process.env, valueDigest),
    });
  });
});
