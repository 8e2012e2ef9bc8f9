// Secrets leave the host masked and stay real in the engine: a proxy password and an
// Authorization header set on a job come back as `***` from every command that reports the job
// (job.get, jobs.enum, jobs.history, a setter's result) and in every event, a URL password in an
// error message too; a client writing back what it was shown keeps the real values, and a `***`
// that stands for nothing is refused. Guards against `ferry info --verbose` printing the proxy
// password and `ferry history --json` printing the Authorization header.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JobDetails } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { makeTempDir, startEngine, waitFor } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const PASSWORD = 'pr0xy-s3cret';
const TOKEN = 'Bearer tok-123456';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;

before(() => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test', batchIntervalMs: 10 });
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

/** A job with a proxy password, an Authorization header and a URL with a password. */
async function secretJob(name: string): Promise<JobDetails> {
  const job = (await call('job.create', { displayName: name })) as JobDetails;
  await call('job.addFile', {
    jobId: job.id,
    remoteUrl: `https://user:url-pa55@files.invalid/${name}.bin`,
    localName: dir.file(`${name}.bin`),
  });
  await call('job.setProxySettings', {
    jobId: job.id,
    proxy: {
      usage: 'OVERRIDE',
      proxyList: [`http://alice:${PASSWORD}@127.0.0.1:9`],
      bypassList: [],
    },
  });
  return (await call('job.setCustomHeaders', {
    jobId: job.id,
    headers: [`Authorization: ${TOKEN}`, 'Accept: */*', 'X-Api-Key: k-987'],
  })) as JobDetails;
}

function assertNoSecret(value: unknown, what: string): void {
  const text = JSON.stringify(value);
  for (const secret of [PASSWORD, 'tok-123456', 'k-987', 'url-pa55']) {
    assert.ok(!text.includes(secret), `${what} shows ${secret}: ${text}`);
  }
}

describe('secrets leaving the host', () => {
  it('are masked in every report of the job, and real in the engine', async () => {
    const shown = await secretJob('masked');
    assert.deepEqual(shown.customHeaders, ['Authorization: ***', 'Accept: */*', 'X-Api-Key: ***']);
    assert.deepEqual(shown.proxy.proxyList, ['http://alice:***@127.0.0.1:9']);
    // A URL's password is masked, or not kept at all (it may become the job's credentials).
    assert.match(
      shown.files[0]?.remoteName ?? '',
      /^https:\/\/(user:\*\*\*@)?files\.invalid\/masked\.bin$/,
    );
    assertNoSecret(shown, 'setCustomHeaders');
    assertNoSecret(await call('job.get', { jobId: shown.id }), 'job.get');
    assertNoSecret(await call('jobs.enum', {}), 'jobs.enum');
    await call('job.cancel', { jobId: shown.id });
    assertNoSecret(await call('jobs.history', {}), 'jobs.history');
    const real = engine.getJob(shown.id).info();
    assert.ok(real.customHeaders.includes(`Authorization: ${TOKEN}`));
    assert.deepEqual(real.proxy.proxyList, [`http://alice:${PASSWORD}@127.0.0.1:9`]);
  });

  it('are masked in events, error messages included', async () => {
    const sent: unknown[] = [];
    const link = host.connect((event, payload) => {
      sent.push({ event, payload });
    });
    link.subscribe(['jobsChanged', 'jobModification', 'jobError']);
    try {
      const shown = await secretJob('events');
      await call('job.setNotifyFlags', { jobId: shown.id, flags: 3 });
      await call('job.resume', { jobId: shown.id });
      // The proxy at 127.0.0.1:9 refuses: the error names it, and the URL.
      await waitFor(() => engine.getJob(shown.id).info().error !== null, 'the error');
      await waitFor(() => JSON.stringify(sent).includes('"error":{'), 'the error event');
      assert.ok(JSON.stringify(sent).includes('***'));
      assertNoSecret(sent, 'events');
      await call('job.cancel', { jobId: shown.id });
    } finally {
      link.close();
    }
  });

  it('written back masked, keep their real values', async () => {
    const shown = await secretJob('roundtrip');
    await call('job.setCustomHeaders', {
      jobId: shown.id,
      headers: [...shown.customHeaders, 'X-Extra: 1'],
    });
    await call('job.setProxySettings', { jobId: shown.id, proxy: shown.proxy });
    await call('job.setRemoteName', {
      jobId: shown.id,
      fileIndex: 0,
      remoteUrl: shown.files[0]?.remoteName,
    });
    const real = engine.getJob(shown.id);
    assert.deepEqual(real.info().customHeaders, [
      `Authorization: ${TOKEN}`,
      'Accept: */*',
      'X-Api-Key: k-987',
      'X-Extra: 1',
    ]);
    assert.deepEqual(real.info().proxy.proxyList, [`http://alice:${PASSWORD}@127.0.0.1:9`]);
    assert.ok(!(real.enumFiles()[0]?.remoteName ?? '').includes('***'), 'no *** stored in a URL');
    await call('job.cancel', { jobId: shown.id });
  });

  it('refuses a masked value that stands for nothing, changing nothing', async () => {
    const shown = await secretJob('refused');
    const envelope = await host.invoke('job.setCustomHeaders', {
      jobId: shown.id,
      headers: ['Cookie: ***'],
    });
    assert.ok(!envelope.ok, 'refused');
    assert.equal(envelope.error.code, 'INPUT_INVALID');
    assert.ok(engine.getJob(shown.id).info().customHeaders.includes(`Authorization: ${TOKEN}`));
    await call('job.cancel', { jobId: shown.id });
  });

  it('are masked in the default proxy setting, and kept when written back', async () => {
    await call('settings.set', {
      engine: {
        defaultProxy: {
          usage: 'OVERRIDE',
          proxyList: [`bob:${PASSWORD}@proxy.invalid:3128`],
          bypassList: [],
        },
      },
    });
    const view = (await call('settings.get', {})) as {
      engine: { defaultProxy: { usage: 'OVERRIDE'; proxyList: string[]; bypassList: string[] } };
    };
    assert.deepEqual(view.engine.defaultProxy.proxyList, ['bob:***@proxy.invalid:3128']);
    await call('settings.set', { engine: { defaultProxy: view.engine.defaultProxy } });
    assert.deepEqual(engine.getSettings().defaultProxy.proxyList, [
      `bob:${PASSWORD}@proxy.invalid:3128`,
    ]);
    await call('settings.set', {
      engine: { defaultProxy: { usage: 'PRECONFIG', proxyList: [], bypassList: [] } },
    });
  });

  it('are masked in the message of a refused command', async () => {
    const envelope = await host.invoke('job.addFile', {
      jobId: (await secretJob('message')).id,
      remoteUrl: `ftp://carol:${PASSWORD}@host.invalid/x`,
      localName: dir.file('x.bin'),
    });
    assert.equal(envelope.ok, false);
    assertNoSecret(envelope, 'an error envelope');
  });
});
