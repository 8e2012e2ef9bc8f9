// Interoperability over TLS, through the CLI: an HTTP/2-only server (node:http2 with
// allowHTTP1: false, as nghttpd; it reset Ferry's HTTP/1.1 before issue 14) trusted through the
// extraCaCertificates setting, and a self-signed server whose error names its fingerprint and
// which `--trust-cert` then trusts for that job alone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { z } from 'zod';
import { jobDetailsSchema, parseJson } from '../cli/contract-schemas.js';
import { skipUnless } from './support/daemons.js';
import { destination, failedTransfer, serveDataDir, sha256, transfer } from './support/ferry.js';
import type { ServedDataDir } from './support/ferry.js';
import { makeTestCa } from '../support/test-ca.js';
import type { TestCa } from '../support/test-ca.js';
import { startTlsServer } from '../support/tls-server.js';
import type { TlsTestServer } from '../support/tls-server.js';

describe('TLS servers', { skip: skipUnless('openssl', 'openssl') }, () => {
  let ca: TestCa;
  let h2: TlsTestServer;
  let selfSigned: TlsTestServer;
  let served: ServedDataDir;
  let dest: string;
  const body = randomBytes(4 * 1024 * 1024 + 17);

  before(async () => {
    ca = makeTestCa();
    [h2, selfSigned, served, dest] = await Promise.all([
      startTlsServer({ ...ca.server, protocol: 'h2' }),
      startTlsServer({ ...ca.selfSigned, protocol: 'http/1.1' }),
      serveDataDir(),
      destination(),
    ]);
    h2.setFile('/h2/image.iso', body);
    selfSigned.setFile('/appliance/firmware.img', body);
  });
  after(async () => {
    await Promise.all([h2.close(), selfSigned.close(), served.close()]);
    rmSync(dest, { recursive: true, force: true });
    ca.cleanup();
  });

  it('downloads from an HTTP/2-only server over several streams of one connection', async () => {
    const set = await served.ferry(['settings', 'set', 'extraCaCertificates', ca.caPath]);
    assert.equal(set.code, 0, set.stderr);
    const connections = h2.connections();
    const done = await transfer(served, h2.url('/h2/image.iso'), dest, ['--connections', '4']);
    assert.equal(done.name, 'image.iso');
    assert.equal(sha256(done.path), sha256(body));
    const seen = h2.requests.filter((r) => r.path === '/h2/image.iso');
    assert.ok(seen.length > 1 && seen.every((r) => r.httpVersion === '2.0'));
    assert.equal(h2.connections() - connections, 1, 'one TLS connection for the whole file');
  });

  it('names a self-signed certificate by its fingerprint; --trust-cert trusts it', async () => {
    const url = selfSigned.url('/appliance/firmware.img');
    const failed = await failedTransfer(served, url, dest);
    assert.equal(failed.state, 'ERROR');
    assert.equal(failed.error.code, 'NET_TLS_FAILURE');
    assert.equal(failed.error.context, 'GENERAL_TRANSPORT');
    assert.ok(failed.error.message.includes(ca.selfSigned.fingerprint), failed.error.message);
    assert.match(failed.error.message, /self-signed/);
    const cancel = await served.ferry(['cancel', failed.jobId]);
    assert.equal(cancel.code, 0, cancel.stderr);

    // As a user pastes it from a browser: upper case with colons.
    const pasted = (ca.selfSigned.fingerprint.slice('sha256:'.length).match(/../g) ?? [])
      .join(':')
      .toUpperCase();
    const done = await transfer(served, url, dest, ['--trust-cert', pasted]);
    assert.equal(done.name, 'firmware.img');
    assert.equal(sha256(done.path), sha256(body));
    assert.deepEqual(done.job.transferPolicy.trustedCertificates, [ca.selfSigned.fingerprint]);
  });

  it("sets and clears a job's trusted certificates with settrustedcerts", async () => {
    const created = await served.ferry(['create', 'pinned', '--trust-cert', ca.server.fingerprint]);
    assert.equal(created.code, 0, created.stderr);
    const jobId = created.stdout.trim();
    const set = await served.ferry([
      'settrustedcerts',
      jobId,
      ca.selfSigned.fingerprint.toUpperCase(),
      '--json',
    ]);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(parseJson(jobDetailsSchema, set.stdout).transferPolicy.trustedCertificates, [
      ca.selfSigned.fingerprint,
    ]);
    const cleared = await served.ferry(['settrustedcerts', jobId, '--json']);
    assert.deepEqual(
      parseJson(jobDetailsSchema, cleared.stdout).transferPolicy.trustedCertificates,
      [],
    );
    await served.ferry(['cancel', jobId]);
  });

  it('refuses a malformed --trust-cert with exit 2 and creates no job', async () => {
    const before = await served.ferry(['list', '--history', '--json']);
    const count = parseJson(z.array(jobDetailsSchema), before.stdout).length;
    const run = await served.ferry([
      'transfer',
      selfSigned.url('/appliance/firmware.img'),
      '--dest',
      dest,
      '--trust-cert',
      'sha1:1234',
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--trust-cert 'sha1:1234' is not a SHA-256 certificate fingerprint/);
    const afterList = await served.ferry(['list', '--history', '--json']);
    assert.equal(parseJson(z.array(jobDetailsSchema), afterList.stdout).length, count);
  });
});
