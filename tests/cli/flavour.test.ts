// The DO flavour and the time limits through the real `ferry` bin against a real `ferry serve`:
// create --flavour, info, list, setmaxdownloadtime, and the refusal of setminretrydelay.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jobDetailsSchema, parseJson, settingsViewSchema } from './contract-schemas.js';
import { serveDataDir } from './harness.js';
import type { FerryRun, ServedDataDir } from './harness.js';

function assertFailure(run: FerryRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^ferry: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(run.stderr, pattern);
}

describe('ferry: job flavours and time limits', () => {
  let served: ServedDataDir;

  before(async () => {
    served = await serveDataDir();
  });
  after(async () => {
    await served.close();
  });

  it('create --flavour do makes a DO job that info, list and --json show', async () => {
    const created = await served.ferry(['create', 'do job', '--flavour', 'do']);
    assert.equal(created.code, 0, created.stderr);
    const plain = await served.ferry(['create', 'bits job']);
    assert.equal(plain.code, 0, plain.stderr);

    const info = await served.ferry(['info', 'do job', '--verbose']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^flavour: +DO \(Delivery Optimization\)$/m);
    assert.match(info.stdout, /^min retry delay: +60 s \(internal back-off\)$/m);
    assert.match(info.stdout, /^max download time: +7776000 s$/m);
    assert.match((await served.ferry(['info', 'bits job'])).stdout, /^flavour: +BITS$/m);

    const list = await served.ferry(['list']);
    assert.match(list.stdout, /^ID +NAME +STATE +PRIORITY +FLAVOUR +FILES +BYTES$/m);
    assert.match(list.stdout, /do job +SUSPENDED +NORMAL +DO /);
    assert.match(list.stdout, /bits job +SUSPENDED +NORMAL +BITS /);

    const json = parseJson(
      jobDetailsSchema,
      (await served.ferry(['info', 'do job', '--json'])).stdout,
    );
    assert.equal(json.flavour, 'DO');
    assert.equal(json.maximumDownloadTime, 7_776_000);
  });

  it('setminretrydelay on a DO job is a usage error naming why, and changes nothing', async () => {
    const run = await served.ferry(['setminretrydelay', 'do job', '30']);
    assertFailure(run, 2, /minimum retry delay of job 'do job'.*internal back-off/);
    const job = parseJson(
      jobDetailsSchema,
      (await served.ferry(['info', 'do job', '--json'])).stdout,
    );
    assert.equal(job.minimumRetryDelay, 60);
    const bits = await served.ferry(['setminretrydelay', 'bits job', '30']);
    assert.equal(bits.code, 0, bits.stderr);
  });

  it('setmaxdownloadtime sets and removes the limit; bad values are usage errors', async () => {
    const set = await served.ferry(['setmaxdownloadtime', 'do job', '3600']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /maximum download time set to 3600 s/);
    const off = await served.ferry(['setmaxdownloadtime', 'do job', '0', '--json']);
    assert.equal(parseJson(jobDetailsSchema, off.stdout).maximumDownloadTime, 0);
    assertFailure(await served.ferry(['setmaxdownloadtime', 'do job', 'soon']), 2, /seconds/);
  });

  it('a flavour other than BITS or DO is refused before anything is sent', async () => {
    assertFailure(
      await served.ferry(['create', 'x', '--flavour', 'delivery']),
      2,
      /Invalid flavour 'delivery': use one of BITS, DO/,
    );
  });

  it('the time limits are settings', async () => {
    const view = parseJson(settingsViewSchema, (await served.ferry(['settings', '--json'])).stdout);
    assert.equal(view.engine.jobInactivityTimeout, 7_776_000);
    assert.equal(view.engine.defaultMaximumDownloadTime, 7_776_000);
  });
});
