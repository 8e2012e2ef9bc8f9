// The job commands of the real `ferry` bin against a real `ferry serve`: output, --json
// shapes, and each error path's exit code and one-line message.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { JOB_STATES } from '../../app/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import {
  completeOutputSchema,
  jobDetailsSchema,
  jobFileSchema,
  parseJson,
  settingsViewSchema,
} from './contract-schemas.js';
import { serveDataDir } from './harness.js';
import type { FerryRun, ServedDataDir } from './harness.js';

/** One stderr line naming the problem, and nothing on stdout. */
function assertFailure(run: FerryRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^ferry: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(run.stderr, pattern);
}

describe('ferry job commands', () => {
  let http: TestServer;
  let served: ServedDataDir;

  before(async () => {
    http = await startTestServer();
    for (const [i, name] of ['one', 'two', 'three'].entries()) {
      http.setFile(`/${name}.bin`, { body: { size: 50_000 * (i + 1), seed: i } });
    }
    served = await serveDataDir();
  });
  after(async () => {
    await served.close();
    await http.close();
    await rm(`${served.dataDir}-out`, { recursive: true, force: true });
  });

  it('create, addfileset, list, files, info, setters, resume, complete', async () => {
    const created = await served.ferry(['create', 'set job', '--priority', 'low']);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // Downloads go outside the data directory: Ferry refuses local names inside it.
    await mkdir(join(served.dataDir, '..', `${basename(served.dataDir)}-out`));
    const list = join(served.dataDir, 'files.txt');
    await writeFile(
      list,
      [
        '# bitsadmin /addfileset list: URL LOCAL',
        `${http.url('/one.bin')} ${join(served.dataDir, '..', `${basename(served.dataDir)}-out`, 'one.bin')}`,
        '',
        `${http.url('/two.bin')}   ${join(served.dataDir, '..', `${basename(served.dataDir)}-out`, 'two files.bin')}`,
      ].join('\n'),
    );
    const added = await served.ferry(['addfileset', 'set job', list]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^Added 2 files to job 'set job'/);
    const single = await served.ferry([
      'addfile',
      id.toUpperCase(),
      http.url('/three.bin'),
      join(served.dataDir, '..', `${basename(served.dataDir)}-out`, 'three.bin'),
    ]);
    assert.equal(single.code, 0, single.stderr);

    const files = await served.ferry(['files', 'set job', '--json']);
    const fileList = parseJson(z.array(jobFileSchema), files.stdout);
    assert.deepEqual(
      fileList.map((f) => f.localName),
      ['one.bin', 'two files.bin', 'three.bin'].map((n) =>
        join(served.dataDir, '..', `${basename(served.dataDir)}-out`, n),
      ),
    );
    const filesText = await served.ferry(['files', id]);
    assert.match(filesText.stdout, /^#\s+STATUS\s+BYTES\s+REMOTE\s+LOCAL\n0\s+-\s+0 B \/ /);

    const listed = await served.ferry(['list']);
    assert.match(
      listed.stdout,
      new RegExp(`^ID\\s+NAME\\s+STATE.*\\n${id}\\s+set job\\s+SUSPENDED\\s+LOW\\s+BITS\\s+0/3`),
    );
    const listedJson = parseJson(
      z.array(jobDetailsSchema),
      (await served.ferry(['list', '--json'])).stdout,
    );
    assert.ok(listedJson.some((job) => job.id === id));

    for (const [args, check] of [
      [
        ['setpriority', id, 'high'],
        (j: z.output<typeof jobDetailsSchema>) => j.priority === 'HIGH',
      ],
      [
        ['setminretrydelay', id, '60'],
        (j: z.output<typeof jobDetailsSchema>) => j.minimumRetryDelay === 60,
      ],
      [
        ['setnoprogresstimeout', id, '0'],
        (j: z.output<typeof jobDetailsSchema>) => j.noProgressTimeout === 0,
      ],
      [
        ['setnotifyflags', id, 'JOB_TRANSFERRED|JOB_ERROR|JOB_MODIFICATION'],
        (j: z.output<typeof jobDetailsSchema>) => j.notifyFlags === 0x0b,
      ],
      [
        ['setnotifycmdline', id, '/bin/true', 'a', 'b'],
        (j: z.output<typeof jobDetailsSchema>) => j.notifyCmdLine?.args.join() === 'a,b',
      ],
      // Regression: the program's own options (-c) were refused as unknown options of ferry's.
      [
        ['setnotifycmdline', id, '/bin/sh', '-c', 'exit 0'],
        (j: z.output<typeof jobDetailsSchema>) => j.notifyCmdLine?.args.join('|') === '-c|exit 0',
      ],
      [
        ['setnotifycmdline', id, 'NULL'],
        (j: z.output<typeof jobDetailsSchema>) => j.notifyCmdLine === null,
      ],
      [
        ['setproxysettings', id, 'override', 'proxy.invalid:3128', '<local>,*.example'],
        (j: z.output<typeof jobDetailsSchema>) => j.proxy.bypassList.length === 2,
      ],
      [
        ['setproxysettings', id, 'NO_PROXY'],
        (j: z.output<typeof jobDetailsSchema>) => j.proxy.usage === 'NO_PROXY',
      ],
      [
        ['setdescription', id, 'three files'],
        (j: z.output<typeof jobDetailsSchema>) => j.description === 'three files',
      ],
    ] as const) {
      const run = await served.ferry([...args, '--json']);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(check(parseJson(jobDetailsSchema, run.stdout)), args.join(' '));
    }
    const replaced = await served.ferry([
      'replaceremoteprefix',
      id,
      http.origin,
      http.origin.replace('127.0.0.1', 'localhost'),
    ]);
    assert.match(replaced.stdout, /replaced the prefix of 3 remote names/);
    const renamed = await served.ferry(['setremotename', id, '2', http.url('/three.bin')]);
    assert.equal(renamed.code, 0, renamed.stderr);

    const info = await served.ferry(['info', 'set job', '--verbose']);
    assert.match(
      info.stdout,
      /^id:\s+[0-9a-f-]{36}\nname:\s+set job\nstate:\s+SUSPENDED\npriority:\s+HIGH/,
    );
    assert.match(info.stdout, /min retry delay:\s+60 s/);

    const resumed = await served.ferry(['resume', 'set job']);
    assert.equal(resumed.code, 0, resumed.stderr);
    let state = '';
    for (let i = 0; i < 100 && state !== 'TRANSFERRED'; i++) {
      state = parseJson(
        jobDetailsSchema,
        (await served.ferry(['info', id, '--json'])).stdout,
      ).state;
      if (state !== 'TRANSFERRED') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(state, 'TRANSFERRED');
    const completed = await served.ferry(['complete', id, '--json']);
    const output = parseJson(completeOutputSchema, completed.stdout);
    assert.equal(output.job.state, 'ACKNOWLEDGED');
    assert.equal(output.partial, false);

    // Invalid state: resume after complete.
    assertFailure(
      await served.ferry(['resume', id]),
      4,
      /Cannot resume job .* in state ACKNOWLEDGED \(JOB_INVALID_STATE\)/,
    );
    // A completed job is still found by name, in history.
    const history = parseJson(
      z.array(jobDetailsSchema),
      (await served.ferry(['history', '--json'])).stdout,
    );
    assert.ok(history.some((job) => job.id === id && job.state === 'ACKNOWLEDGED'));
  });

  it('--json states are the nine BITS names and settings match the contract', async () => {
    const jobs = parseJson(
      z.array(jobDetailsSchema),
      (await served.ferry(['list', '--history', '--all', '--json'])).stdout,
    );
    for (const job of jobs) assert.ok((JOB_STATES as readonly string[]).includes(job.state));
    const settings = await served.ferry(['settings', '--json']);
    parseJson(settingsViewSchema, settings.stdout);
    const set = await served.ferry(['settings', 'set', 'maxConcurrentJobs', '5']);
    assert.equal(set.stdout.trim(), 'maxConcurrentJobs = 5');
    assert.equal((await served.ferry(['settings', 'get', 'maxConcurrentJobs'])).stdout.trim(), '5');
    assertFailure(
      await served.ferry(['settings', 'set', 'maxConcurrentJobs', '0']),
      2,
      /INPUT_INVALID/,
    );
    // Regression: a text setting that looks like JSON was sent as a number and refused, and
    // text that is not JSON reached a number or object setting as a string.
    const agent = await served.ferry(['settings', 'set', 'userAgent', '2024']);
    assert.equal(agent.stdout.trim(), 'userAgent = "2024"', agent.stderr);
    const quoted = await served.ferry(['settings', 'set', 'userAgent', '"Ferry/0.1"']);
    assert.equal(quoted.stdout.trim(), 'userAgent = "Ferry/0.1"', quoted.stderr);
    assertFailure(
      await served.ferry(['settings', 'set', 'defaultProxy', '{bad']),
      2,
      /Invalid value for defaultProxy: '\{bad' is not a JSON object \(INPUT_INVALID\)/,
    );
    assertFailure(
      await served.ferry(['settings', 'set', 'speedLimit', '1MB']),
      2,
      /Invalid value for speedLimit: '1MB' is not a number \(INPUT_INVALID\)/,
    );
  });

  it('each error path exits with its code and one line', async () => {
    const id = (await served.ferry(['create', 'twin'])).stdout.trim();
    await served.ferry(['create', 'twin']);

    assertFailure(
      await served.ferry(['info', 'no such job']),
      3,
      /No job has the id or display name 'no such job' \(JOB_NOT_FOUND\)/,
    );
    assertFailure(
      await served.ferry(['resume', '00000000-0000-4000-8000-000000000000']),
      3,
      /\(JOB_NOT_FOUND\)$/m,
    );
    assertFailure(
      await served.ferry(['suspend', 'twin']),
      3,
      /display name 'twin' is shared by 2 jobs/,
    );
    assertFailure(
      await served.ferry(['setpriority', id, 'urgent']),
      2,
      /Invalid priority 'urgent': use one of FOREGROUND, HIGH, NORMAL, LOW \(INPUT_INVALID\)/,
    );
    assertFailure(
      await served.ferry(['setminretrydelay', id, '-5']),
      2,
      /Invalid number of seconds '-5'/,
    );
    assertFailure(
      await served.ferry(['setproxysettings', id, 'OVERRIDE']),
      2,
      /must name at least one proxy/,
    );
    assertFailure(
      await served.ferry(['addfile', id, 'ftp://example.com/x', '/tmp/x']),
      2,
      /\(INPUT_[A-Z_]+\)/,
    );
    assertFailure(await served.ferry(['resume', id]), 4, /\(JOB_EMPTY\)|\(JOB_INVALID_STATE\)/);
    assertFailure(
      await served.ferry(['addfileset', id, join(served.dataDir, 'nope.txt')]),
      2,
      /Cannot read the list file/,
    );
    assertFailure(await served.ferry(['info']), 2, /missing required argument 'job'/);
    assertFailure(await served.ferry(['frobnicate']), 2, /unknown command 'frobnicate'/);
    // Bad input changed nothing.
    const job = parseJson(jobDetailsSchema, (await served.ferry(['info', id, '--json'])).stdout);
    assert.equal(job.priority, 'NORMAL');
    assert.equal(job.state, 'SUSPENDED');
    assert.equal(job.files.length, 0);
  });
});
