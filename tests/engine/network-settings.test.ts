// Trust settings that apply while the engine runs (issue 14): NODE_EXTRA_CA_CERTS worked only
// for the first server process; the extraCaCertificates setting applies to the next
// connection, a file that cannot be used is refused with its reason (the settings unchanged),
// and a file that goes bad later fails the job at once with the same reason.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { FerryError } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { makeTestCa } from '../support/test-ca.js';
import type { TestCa } from '../support/test-ca.js';
import { startTlsServer } from '../support/tls-server.js';
import type { TlsTestServer } from '../support/tls-server.js';

const BODY = randomBytes(512 * 1024 + 3);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('extraCaCertificates', () => {
  let dir: TempDir;
  let engine: Engine;
  let ca: TestCa;
  let server: TlsTestServer;
  let n = 0;

  before(async () => {
    dir = makeTempDir();
    ca = makeTestCa();
    server = await startTlsServer({ ...ca.server, protocol: 'h2' });
    server.setFile('/f.bin', BODY);
    engine = startEngine(dir, { minimumRetryDelayFloor: 1 });
  });
  after(async () => {
    await engine.close();
    await server.close();
    ca.cleanup();
    dir.cleanup();
  });

  async function download() {
    n++;
    const job = engine.createJob({ displayName: `ca-${n}`, priority: 'FOREGROUND' });
    const target = dir.file(`ca-${n}.bin`);
    await job.addFile(server.url('/f.bin'), target);
    await job.resume();
    return { job, target };
  }

  it('refuses a file that is not a usable CA, naming why, and keeps the settings', () => {
    const notPem = dir.file('not-a-cert.pem');
    writeFileSync(notPem, 'hello');
    for (const [path, why] of [
      [dir.file('missing.pem'), /cannot be read/],
      [notPem, /no PEM certificate/],
    ] as const) {
      assert.throws(
        () => engine.setSettings({ extraCaCertificates: path }),
        (e: unknown) =>
          e instanceof FerryError && e.code === 'INPUT_INVALID' && why.test(e.message),
      );
      assert.equal(engine.getSettings().extraCaCertificates, '');
    }
    assert.throws(() => engine.setSettings({ extraCaCertificates: 'relative/ca.pem' }), {
      code: 'INPUT_INVALID',
    });
  });

  it('fails an untrusted server at once, then trusts it from the next connection on', async () => {
    const first = await download();
    await waitForState(first.job, 'ERROR');
    const error = first.job.getError();
    assert.equal(error?.code, 'NET_TLS_FAILURE');
    assert.equal(error.context, 'GENERAL_TRANSPORT');
    assert.match(error.message, /Extra CA certificates/);

    engine.setSettings({ extraCaCertificates: ca.caPath });
    await first.job.resume();
    await waitForState(first.job, 'TRANSFERRED');
    await first.job.complete();
    assert.equal(sha(readFileSync(first.target)), sha(BODY));
  });

  it('fails the job with the reason when the file goes bad later', async () => {
    const copy = dir.file('ca-copy.pem');
    writeFileSync(copy, ca.caPem);
    engine.setSettings({ extraCaCertificates: copy });
    rmSync(copy);
    const { job } = await download();
    await waitForState(job, 'ERROR');
    assert.match(job.getError()?.message ?? '', /ca-copy\.pem cannot be used: it cannot be read/);
    engine.setSettings({ extraCaCertificates: '' });
  });
});
