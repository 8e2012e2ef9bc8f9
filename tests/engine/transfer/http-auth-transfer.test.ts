// The transfer pipeline with job credentials: a Digest-protected file over several
// connections pays one challenge, Basic through a forwarding proxy that asks for Proxy
// credentials, rejected and missing credentials as final errors, and a Repr-Digest announced
// to the engine with the content hashed while it arrives.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FerryError } from '../../../app/index.js';
import type { JobCredential } from '../../../app/model/credentials.js';
import { transferAuth } from '../../../main/engine/transfer/auth/authenticator.js';
import { transferHttp } from '../../../main/engine/transfer/http-transfer.js';
import { createDispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import { InOrderHash } from '../../../main/engine/validation/content-hash.js';
import { makeTempDir } from '../../support/engine-harness.js';
import type { TempDir } from '../../support/engine-harness.js';
import { startAuthServer } from '../../support/auth-server.js';
import { makeRequest, record } from './transfer-harness.js';
import { startRecordingProxy } from '../../support/recording-proxy.js';
import { makeTestCa } from '../../support/test-ca.js';
import { startTlsServer } from '../../support/tls-server.js';

const body = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < body.length; i += 4) body.writeUInt32LE((i * 2654435761) >>> 0, i);
const sha256 = createHash('sha256').update(body).digest();

const server = (
  target: 'SERVER' | 'PROXY',
  scheme: 'BASIC' | 'DIGEST',
  password = 's3cret',
): JobCredential => ({
  target,
  scheme,
  userName: 'alice',
  password,
});

let dir: TempDir;
let pool: DispatcherPool;
let n = 0;

before(() => {
  dir = makeTempDir();
  pool = createDispatcherPool({ connectTimeoutMs: 2000, env: {} });
});

after(async () => {
  await pool.close();
  dir.cleanup();
});

describe('transfers with job credentials', () => {
  it('Digest SHA-256 over four connections: one challenge, every segment answered at once', async () => {
    const auth = await startAuthServer({
      scheme: 'digest',
      user: 'alice',
      password: 's3cret',
      algorithm: 'SHA-256',
    });
    try {
      auth.setFile('/big.bin', { body });
      const tempPath = dir.file(`t${++n}.part`);
      const rec = record(tempPath);
      const result = await transferHttp(
        makeRequest({
          remoteUrl: auth.url('/big.bin'),
          tempPath,
          connectionFor: (url) =>
            pool.connectionFor(url, { usage: 'NO_PROXY', proxyList: [], bypassList: [] }),
          auth: transferAuth([server('SERVER', 'DIGEST')]),
          segmentation: { connections: () => 4, minSegmentSize: 256 * 1024, stallTimeoutMs: 0 },
        }),
        rec.callbacks,
      );
      assert.equal(result.totalBytes, body.length);
      assert.ok(readFileSync(tempPath).equals(body));
      const statuses = auth.requests.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 401).length, 1, `statuses ${statuses.join(',')}`);
      assert.ok(statuses.filter((s) => s === 206).length >= 2, 'the file went over several ranges');
      assert.ok(
        auth.requests.slice(1).every((r) => r.authorization?.startsWith('Digest ') === true),
      );
    } finally {
      await auth.close();
    }
  });

  it('a forwarding proxy asking for Digest Proxy-Authorization gets the job PROXY credentials', async () => {
    const proxy = await startAuthServer({
      scheme: 'digest',
      user: 'alice',
      password: 's3cret',
      proxyStatus: true,
    });
    try {
      proxy.setFile('/via-proxy.bin', { body: body.subarray(0, 100_000) });
      const tempPath = dir.file(`t${++n}.part`);
      await transferHttp(
        makeRequest({
          // The origin is never reached: the proxy answers for it.
          remoteUrl: 'http://files.invalid/via-proxy.bin',
          tempPath,
          connectionFor: (url) =>
            pool.connectionFor(url, {
              usage: 'OVERRIDE',
              proxyList: [proxy.origin],
              bypassList: [],
            }),
          auth: transferAuth([server('PROXY', 'DIGEST')]),
        }),
        record(tempPath).callbacks,
      );
      assert.ok(readFileSync(tempPath).equals(body.subarray(0, 100_000)));
      assert.deepEqual(
        proxy.requests.map((r) => r.status),
        [407, 200],
      );
    } finally {
      await proxy.close();
    }
  });

  it('rejected and missing credentials fail with HTTP_ACCESS_DENIED saying which', async () => {
    const auth = await startAuthServer({ scheme: 'basic', user: 'alice', password: 's3cret' });
    try {
      auth.setFile('/f', { body: Buffer.from('x') });
      const run = async (credentials: JobCredential[]) => {
        const tempPath = dir.file(`t${++n}.part`);
        return transferHttp(
          makeRequest({
            remoteUrl: auth.url('/f'),
            tempPath,
            connectionFor: (url) =>
              pool.connectionFor(url, { usage: 'NO_PROXY', proxyList: [], bypassList: [] }),
            auth: transferAuth(credentials),
          }),
          record(tempPath).callbacks,
        ).catch((e: unknown) => e);
      };
      const rejected = await run([server('SERVER', 'BASIC', 'nope')]);
      assert.ok(rejected instanceof FerryError);
      assert.equal(rejected.code, 'HTTP_ACCESS_DENIED');
      assert.equal(rejected.context, 'REMOTE_FILE');
      assert.match(
        rejected.message,
        /rejected the job's server credentials \(Basic, user 'alice'\)/,
      );
      const missing = await run([]);
      assert.ok(missing instanceof FerryError);
      assert.match(missing.message, /the job has no server credentials/);
      // A proxy's credentials are not a server's.
      const wrongTarget = await run([server('PROXY', 'BASIC')]);
      assert.ok(wrongTarget instanceof FerryError);
      assert.match(wrongTarget.message, /no server credentials/);
    } finally {
      await auth.close();
    }
  });

  it('a Repr-Digest reaches onStart, and the content is hashed as it arrives', async () => {
    const plain = await startAuthServer({ scheme: 'none', user: '', password: '' });
    try {
      plain.setFile('/d.bin', {
        body,
        headers: { 'repr-digest': `sha-256=:${sha256.toString('base64')}:` },
      });
      const tempPath = dir.file(`t${++n}.part`);
      const rec = record(tempPath);
      const hash = new InOrderHash('sha-256');
      await transferHttp(
        makeRequest({
          remoteUrl: plain.url('/d.bin'),
          tempPath,
          connectionFor: (url) =>
            pool.connectionFor(url, { usage: 'NO_PROXY', proxyList: [], bypassList: [] }),
          contentHash: hash,
        }),
        rec.callbacks,
      );
      assert.deepEqual(rec.starts()[0]?.announcedDigest, {
        algorithm: 'sha-256',
        hex: sha256.toString('hex'),
        source: 'server',
      });
      assert.equal(hash.digestOf(body.length), sha256.toString('hex'));
    } finally {
      await plain.close();
    }
  });

  it("https through a CONNECT proxy sends the job's PROXY Basic credentials; a refusal names them", async () => {
    const ca = makeTestCa();
    const tls = await startTlsServer({ ...ca.selfSigned, protocol: 'http/1.1' });
    const proxy = await startRecordingProxy({ auth: { username: 'bob', password: 'tunnel-pw' } });
    try {
      tls.setFile('/t.bin', body.subarray(0, 50_000));
      const settings = { usage: 'OVERRIDE', proxyList: [proxy.origin], bypassList: [] } as const;
      const run = async (password: string) => {
        const tempPath = dir.file(`t${++n}.part`);
        await transferHttp(
          makeRequest({
            remoteUrl: tls.url('/t.bin'),
            tempPath,
            connectionFor: (url) =>
              pool.connectionFor(url, settings, [ca.selfSigned.fingerprint], {
                userName: 'bob',
                password,
              }),
          }),
          record(tempPath).callbacks,
        );
        return readFileSync(tempPath);
      };
      assert.ok((await run('tunnel-pw')).equals(body.subarray(0, 50_000)));
      const refused = await run('wrong').catch((e: unknown) => e);
      assert.ok(refused instanceof FerryError);
      assert.equal(refused.code, 'HTTP_ACCESS_DENIED');
      assert.equal(refused.context, 'GENERAL_TRANSPORT');
      assert.match(refused.message, /rejected the job's proxy credentials \(Basic, user 'bob'\)/);
      assert.match(
        refused.message,
        /correct them with SetCredentials, target PROXY \(ferry setcreds JOB --target proxy\)/,
      );
      assert.doesNotMatch(refused.message, /wrong/);
    } finally {
      await Promise.all([tls.close(), proxy.close()]);
      ca.cleanup();
    }
  });
});
