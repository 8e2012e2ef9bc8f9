// A generated corpus of bad input, through raw RPC frames and through the CLI. Guards against:
// NUL in URLs, names, header values and the notify program, fractional delays, local names
// over 255 bytes, in /dev, /proc, /sys or the data directory, all accepted over RPC or refused
// with INTERNAL / Node's raw message. Every case must be refused with an INPUT_* code whose
// message names the field, leave every job as it was, write nothing outside the destination
// and never answer INTERNAL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Envelope } from '../../app/index.js';
import { ensureBuiltCli } from '../support/built-cli.js';
import { REPO_ROOT } from '../support/child-process.js';
import { connectRaw, startHarness } from './harness.js';
import type { Harness, RawClient } from './harness.js';

/** One bad input: the command, its input, and the field its refusal must name. */
interface BadCase {
  readonly command: string;
  readonly input: unknown;
  readonly field: string;
}

let h: Harness;
let client: RawClient;
let jobId = '';
let dest = '';

before(async () => {
  h = await startHarness();
  dest = join(h.dir.path, 'downloads');
  mkdirSync(dest);
  client = await connectRaw(h);
  const created = await client.invoke('job.create', { displayName: 'corpus target' });
  assert.ok(created.ok);
  jobId = (created.value as { id: string }).id;
  const added = await client.invoke('job.addFile', {
    jobId,
    remoteUrl: 'http://127.0.0.1:9/a.bin',
    localName: join(dest, 'a.bin'),
  });
  assert.ok(added.ok, JSON.stringify(added));
});

after(async () => {
  client.close();
  await h.close();
});

/** Values of the wrong JSON type for a field of type `kind`. */
function wrongTypes(kind: 'string' | 'number' | 'boolean' | 'array' | 'object'): unknown[] {
  const all: Record<string, unknown> = {
    string: 'text',
    number: 7,
    boolean: true,
    array: ['x'],
    object: { a: 1 },
    null: null,
  };
  return Object.entries(all)
    .filter(([name]) => name !== kind)
    .map(([, value]) => value);
}

/** Text that no text field may hold, or that is too long for one of `max` characters. */
function badTexts(max: number, allowEmpty: boolean): unknown[] {
  return [
    'a\0b',
    '\0',
    `${'x'.repeat(10)}\0`,
    'x'.repeat(max + 1),
    ...(allowEmpty ? [] : ['']),
    ...wrongTypes('string'),
  ];
}

/** Local names no job may save to. */
function badLocalNames(): unknown[] {
  return [
    'relative.bin',
    './x.bin',
    '',
    '/dev/null',
    '/dev/sda',
    '/proc/self/environ',
    '/sys/kernel/notes',
    `${dest}/../../../../dev/zero`,
    join(h.dataDir, 'rpc-token'),
    join(h.dataDir, 'ferry.db'),
    join(h.dataDir, 'secret.key'),
    join(dest, 'a\0b.bin'),
    join(dest, `${'n'.repeat(256)}.bin`),
    join(dest, `${'é'.repeat(128)}.bin`),
    join(dest, 'missing-folder', 'x.bin'),
    dest,
    join(dest, 'NUL'),
    join(dest, 'con.txt'),
    join(dest, 'a.bin'),
    'x'.repeat(5000),
    ...wrongTypes('string'),
  ];
}

/** URLs no job may fetch. */
function badUrls(): unknown[] {
  return [
    '',
    'not a url',
    'http://',
    'http://exa\0mple.com/x',
    'http://example.com/a\0b',
    'javascript:alert(1)',
    'ftp://example.com/x',
    'data:text/plain,hello',
    'file:///dev/zero',
    'file:///dev/urandom',
    'file:///proc/self/status',
    'file:///sys/kernel/notes',
    `file://${h.dir.path}`,
    'mailto:a@example.com',
    `http://example.com/${'x'.repeat(9000)}`,
    ...wrongTypes('string'),
  ];
}

const BAD_SECONDS: unknown[] = [0.5, 1.25, -1, -0.5, 4_294_967_296, 1e20, ...wrongTypes('number')];
const BAD_INDEXES: unknown[] = [-1, 0.5, 1e20, ...wrongTypes('number')];
const BAD_JOB_IDS: unknown[] = [
  '',
  'x',
  '0F8FAD5B-D9CB-469F-A165-70867728950E',
  '0f8fad5b-d9cb-469f-a165-70867728950e\0',
  '../0f8fad5b-d9cb-469f-a165-70867728950e',
  ...wrongTypes('string'),
];
const BAD_HEADERS: unknown[] = [
  'NoColon',
  'Bad Name: v',
  ': empty name',
  'X-A: line\r\nX-B: injected',
  'X-A: nul\0byte',
  'X-A: bell\x07',
  'X-A: esc\x1b[31m',
  'X-A: del\x7f',
  'X-A: cr\r',
  'X-A: lf\n',
  ...wrongTypes('string'),
];

/** Proxy addresses Ferry cannot connect through: refused when set, not when the job runs. */
const BAD_PROXIES = [
  'http://127.0.0.1:99999',
  'http://127.0.0.1:0',
  'socks5://127.0.0.1:1080',
  'ftp://p:21',
  '::::',
  'http://[bad',
  'http://',
  '127.0.0.1:3128;socks4://127.0.0.1:1080',
  'https=127.0.0.1:70000',
];

/** Every case, generated: each bad value in each field of each command, with valid others. */
function corpus(): BadCase[] {
  const cases: BadCase[] = [];
  const add = (
    command: string,
    field: string,
    values: unknown[],
    base: Record<string, unknown>,
  ) => {
    for (const value of values) {
      const path = field.split('.');
      const input: Record<string, unknown> = structuredClone(base);
      let target = input;
      for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
      target[path[path.length - 1] ?? field] = value;
      cases.push({ command, input, field });
    }
  };
  const job = { jobId };
  add('job.create', 'displayName', badTexts(256, false), { displayName: 'x' });
  add('job.create', 'description', badTexts(1024, true), { displayName: 'x', description: '' });
  add('job.create', 'priority', ['URGENT', 'low', 0, null, ''], { displayName: 'x' });
  add('job.create', 'type', ['UPLOADS', 'download', 1, null], { displayName: 'x' });
  add('job.create', 'flavour', ['do', 'Bits', 'DELIVERY', 1, null, ''], { displayName: 'x' });
  add('job.setDisplayName', 'displayName', badTexts(256, false), { ...job, displayName: 'x' });
  add('job.setDescription', 'description', badTexts(1024, true), { ...job, description: '' });
  for (const command of ['job.get', 'job.resume', 'job.suspend', 'job.cancel', 'job.complete']) {
    add(command, 'jobId', BAD_JOB_IDS, { ...job });
  }
  const file = { ...job, remoteUrl: 'http://127.0.0.1:9/b.bin', localName: join(dest, 'b.bin') };
  add('job.addFile', 'localName', badLocalNames(), file);
  add('job.addFile', 'remoteUrl', badUrls(), file);
  add('job.addFile', 'jobId', BAD_JOB_IDS, file);
  const set = { ...job, files: [{ remoteUrl: file.remoteUrl, localName: file.localName }] };
  add('job.addFileSet', 'files.0.localName', badLocalNames(), set);
  add('job.addFileSet', 'files.0.remoteUrl', badUrls(), set);
  add('job.addFileSet', 'files', [[], 'x', null, [null], [{}]], set);
  add('job.setMinimumRetryDelay', 'seconds', BAD_SECONDS, { ...job, seconds: 60 });
  add('job.setNoProgressTimeout', 'seconds', BAD_SECONDS, { ...job, seconds: 60 });
  add('job.setMaximumDownloadTime', 'seconds', BAD_SECONDS, { ...job, seconds: 3600 });
  add('job.setNotifyFlags', 'flags', [0.5, -1, 0x100, 1e20, ...wrongTypes('number')], {
    ...job,
    flags: 1,
  });
  const cmd = { ...job, cmdLine: { program: '/bin/true', args: [] } };
  add('job.setNotifyCmdLine', 'cmdLine.program', [...badTexts(4096, false), 'true', 'bin/x'], cmd);
  add('job.setNotifyCmdLine', 'cmdLine.args', [['a\0b'], [1], 'x', [null]], cmd);
  add('job.setCustomHeaders', 'headers.0', BAD_HEADERS, { ...job, headers: ['X-A: b'] });
  const proxy = {
    ...job,
    proxy: { usage: 'OVERRIDE', proxyList: ['127.0.0.1:3128'], bypassList: [] },
  };
  add('job.setProxySettings', 'proxy.proxyList.0', ['a\0b', '', 'x'.repeat(2049), 5, null], proxy);
  add('job.setProxySettings', 'proxy.proxyList.0', BAD_PROXIES, proxy);
  add('job.setProxySettings', 'proxy.bypassList.0', ['a\0b', '', 'x'.repeat(2049), 5, null], proxy);
  add('job.setProxySettings', 'proxy.usage', ['AUTO', 'override', 3, null], proxy);
  add('job.setTransferPolicy', 'connectionsPerFile', [0, 17, 1.5, -1, 'x', true], {
    ...job,
    connectionsPerFile: 2,
  });
  add('job.setTransferPolicy', 'speedLimit', [-1, 0.5, 'x', true, {}], { ...job, speedLimit: 0 });
  add('job.setRemoteName', 'remoteUrl', badUrls(), {
    ...job,
    fileIndex: 0,
    remoteUrl: 'http://127.0.0.1:9/c.bin',
  });
  add('job.setRemoteName', 'fileIndex', BAD_INDEXES, {
    ...job,
    fileIndex: 0,
    remoteUrl: 'http://127.0.0.1:9/c.bin',
  });
  add('job.replaceRemotePrefix', 'oldPrefix', badTexts(8192, false), {
    ...job,
    oldPrefix: 'http://127.0.0.1:9/',
    newPrefix: 'http://127.0.0.1:10/',
  });
  add('job.replaceRemotePrefix', 'newPrefix', badTexts(8192, false), {
    ...job,
    oldPrefix: 'http://127.0.0.1:9/',
    newPrefix: 'http://127.0.0.1:10/',
  });
  add('settings.set', 'engine.userAgent', ['a\nb', 'a\0b', 'a\x1bb', '', 'x'.repeat(513), 5], {
    engine: { userAgent: 'x' },
  });
  add('settings.set', 'engine.defaultMinimumRetryDelay', BAD_SECONDS, {
    engine: { defaultMinimumRetryDelay: 5 },
  });
  add('settings.set', 'engine.maxConcurrentJobs', [0, 65, 1.5, -1, 'x'], {
    engine: { maxConcurrentJobs: 2 },
  });
  add('settings.set', 'engine.defaultProxy.proxyList.0', BAD_PROXIES, {
    engine: { defaultProxy: { usage: 'OVERRIDE', proxyList: ['127.0.0.1:3128'], bypassList: [] } },
  });
  add('jobs.batch', 'jobIds.0', BAD_JOB_IDS, { action: 'suspend', jobIds: [jobId] });
  add('jobs.batch', 'action', ['explode', '', 1, null], { action: 'suspend', jobIds: [jobId] });
  add('files.link', 'fileIndex', BAD_INDEXES, { ...job, fileIndex: 0 });
  // Keys the contract does not know are refused by name, whatever their value.
  for (const [command, base] of [
    ['job.create', { displayName: 'x' }],
    ['job.addFile', file],
    ['job.addFileSet', set],
    ['job.setDisplayName', { ...job, displayName: 'x' }],
    ['job.setMinimumRetryDelay', { ...job, seconds: 60 }],
    ['job.setCustomHeaders', { ...job, headers: [] }],
    ['job.setNotifyCmdLine', cmd],
    ['job.setProxySettings', proxy],
    ['job.resume', job],
    ['settings.set', { engine: { maxConcurrentJobs: 2 } }],
    ['jobs.batch', { action: 'suspend', jobIds: [jobId] }],
    ['downloads.plan', { urls: ['http://127.0.0.1:9/x'], folder: dest, probe: false }],
  ] as const) {
    add(command, 'unexpectedKey', [1, 'x', null], base);
  }
  add('downloads.plan', 'folder', ['relative', '', 'x'.repeat(4097), 5, null], {
    urls: ['http://127.0.0.1:9/x'],
    folder: dest,
    probe: false,
  });
  return cases;
}

/** Every file under `dir`, with size and modification time, to see that nothing changed. */
function listing(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listing(path));
    else if (!/ferry\.db-(wal|shm)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** The jobs as a client sees them, minus what moves on its own (times). */
async function jobsView(c: RawClient): Promise<unknown> {
  const listed = await c.invoke('jobs.enum', { allUsers: true, includeHistory: true });
  assert.ok(listed.ok);
  return (listed.value as { id: string; times: unknown }[]).map(
    ({ times: _times, ...rest }) => rest,
  );
}

describe('the bad-input corpus', () => {
  it('over raw RPC: at least 400 cases, each INPUT_* naming its field, nothing changed', async () => {
    const cases = corpus();
    assert.ok(cases.length >= 400, `only ${String(cases.length)} cases`);
    const before = await jobsView(client);
    const filesBefore = listing(h.dir.path);
    const wrong: string[] = [];
    for (const bad of cases) {
      const result: Envelope<unknown> = await client.invoke(bad.command, bad.input);
      const what = `${bad.command} ${bad.field}=${JSON.stringify(bad.input).slice(0, 120)}`;
      if (result.ok) {
        wrong.push(`${what}: accepted`);
        continue;
      }
      const { code, message } = result.error;
      if (!code.startsWith('INPUT_')) wrong.push(`${what}: ${code} ${message}`);
      else if (!message.includes(lastSegment(bad.field))) {
        wrong.push(`${what}: message does not name ${bad.field}: ${message}`);
      }
    }
    assert.deepEqual(wrong, [], `${String(wrong.length)} of ${String(cases.length)} cases wrong`);
    assert.deepEqual(await jobsView(client), before, 'every job is as it was');
    assert.deepEqual(listing(h.dir.path), filesBefore, 'nothing written anywhere');
    console.log(`bad-input corpus: ${String(cases.length)} raw RPC cases refused with INPUT_*`);
  });

  it('a bad proxy is refused naming the entry and why, and the job keeps its proxy', async () => {
    const get = async (): Promise<unknown> => {
      const got = await client.invoke('job.get', { jobId });
      assert.ok(got.ok);
      return (got.value as { proxy: unknown }).proxy;
    };
    const before = await get();
    const refusals: [string, RegExp][] = [
      ['http://127.0.0.1:99999', /proxyList.*'http:\/\/127\.0\.0\.1:99999'.*port 99999/],
      ['socks5://127.0.0.1:1080', /'socks5:\/\/127\.0\.0\.1:1080'.*scheme 'socks5:'/],
      ['::::', /'::::' is not a proxy address/],
      ['http://bob:pw9@127.0.0.1:99999', /'http:\/\/bob:\*\*\*@127\.0\.0\.1:99999'/],
    ];
    for (const [entry, pattern] of refusals) {
      const result = await client.invoke('job.setProxySettings', {
        jobId,
        proxy: { usage: 'OVERRIDE', proxyList: [entry], bypassList: [] },
      });
      assert.equal(result.ok, false, entry);
      assert.equal(result.error.code, 'INPUT_INVALID', entry);
      assert.match(result.error.message, pattern);
      assert.doesNotMatch(result.error.message, /pw9/);
    }
    assert.deepEqual(await get(), before);
    // Written-back masked passwords, scheme-specific and PAC-style entries still pass.
    const good = await client.invoke('job.setProxySettings', {
      jobId,
      proxy: {
        usage: 'OVERRIDE',
        proxyList: ['http=127.0.0.1:3128;https=https://u:p@[::1]:8443', 'DIRECT'],
        bypassList: [],
      },
    });
    assert.ok(good.ok, JSON.stringify(good));
    const reset = await client.invoke('job.setProxySettings', { jobId, proxy: before });
    assert.ok(reset.ok, JSON.stringify(reset));
  });

  it('through the CLI: each refused in one line with its INPUT_* code, never INTERNAL', async () => {
    ensureBuiltCli();
    const list = join(h.dir.path, 'list.txt');
    const ferry = async (args: string[]): Promise<{ code: number; stderr: string }> => {
      try {
        await promisify(execFile)(
          process.execPath,
          [join(REPO_ROOT, 'bin', 'ferry.js'), '--data-dir', h.dataDir, '--no-start', ...args],
          { cwd: h.dir.path, timeout: 30_000 },
        );
        return { code: 0, stderr: '' };
      } catch (error) {
        const failed = error as { code?: number; stderr?: string };
        return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
      }
    };
    const cases: [string[], string?][] = [
      [['addfile', jobId, 'http://127.0.0.1:9/x', '/dev/null']],
      [['addfile', jobId, 'http://127.0.0.1:9/x', '/proc/self/environ']],
      [['addfile', jobId, 'http://127.0.0.1:9/x', join(h.dataDir, 'rpc-token')]],
      [['addfile', jobId, 'http://127.0.0.1:9/x', join(dest, `${'n'.repeat(300)}.bin`)]],
      [['addfile', jobId, 'javascript:alert(1)', join(dest, 'y.bin')]],
      [['addfile', jobId, 'file:///dev/zero', join(dest, 'y.bin')]],
      [['addfile', jobId, 'http://127.0.0.1:9/x', join(dest, 'a.bin')]],
      [['addfileset', jobId, list], `http://127.0.0.1:9/x ${join(dest, 'n\0ul.bin')}`],
      [['addfileset', jobId, list], `http://127.0.0.1:9/x ${join(h.dataDir, 'ferry.db')}`],
      [['addfileset', jobId, list], `http://127.0.0.1:9/x /sys/kernel/notes`],
      [['setminretrydelay', jobId, '0.5']],
      [['setminretrydelay', jobId, '-1']],
      [['setnoprogresstimeout', jobId, '1e99']],
      [['setdisplayname', jobId, 'x'.repeat(300)]],
      [['setdescription', jobId, 'x'.repeat(2000)]],
      [['setcustomheaders', jobId, 'X-A: esc\x1b[31m']],
      [['setcustomheaders', jobId, 'NoColon']],
      [['setnotifycmdline', jobId, 'relative-program']],
      [['setpriority', jobId, 'URGENT']],
      [['setremotename', jobId, '0', 'ftp://example.com/x']],
      [['setremotename', jobId, '-1', 'http://127.0.0.1:9/x']],
      [['create', '']],
      [['setproxysettings', jobId, 'OVERRIDE', 'http://127.0.0.1:99999', '']],
      [['setproxysettings', jobId, 'OVERRIDE', 'socks5://127.0.0.1:1080', '']],
      [['setproxysettings', jobId, 'OVERRIDE', '::::', '']],
      [['settings', 'set', 'defaultProxy', '{"usage":"OVERRIDE","proxyList":["ftp://p:21"]}']],
      [['info', 'not-a-job']],
    ];
    const before = await jobsView(client);
    const wrong: string[] = [];
    for (const [args, listText] of cases) {
      if (listText !== undefined) writeFileSync(list, `${listText}\n`);
      const result = await ferry(args);
      const lines = result.stderr.trimEnd().split('\n');
      const what = JSON.stringify(args).slice(0, 100);
      if (result.code === 0) wrong.push(`${what}: accepted`);
      else if (/INTERNAL|internal error/i.test(result.stderr))
        wrong.push(`${what}: ${result.stderr}`);
      else if (lines.length !== 1)
        wrong.push(`${what}: ${String(lines.length)} lines: ${result.stderr}`);
      else if (!/\((INPUT_[A-Z_]+|JOB_NOT_FOUND)\)$|^error: |^ferry: /.test(lines[0] ?? '')) {
        wrong.push(`${what}: ${result.stderr}`);
      }
    }
    assert.deepEqual(
      wrong,
      [],
      `${String(wrong.length)} of ${String(cases.length)} CLI cases wrong`,
    );
    assert.deepEqual(await jobsView(client), before, 'every job is as it was');
    assert.equal(statSync(join(h.dataDir, 'rpc-token')).size > 0, true);
  });
});

/** The last part of a field path that is a name ("files.0.localName" → "localName"). */
function lastSegment(field: string): string {
  const parts = field.split('.').filter((part) => !/^\d+$/.test(part));
  return parts[parts.length - 1] ?? field;
}
