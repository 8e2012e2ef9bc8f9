// TLS and HTTP/2 in the transfer layer (issue 14): HTTP/2 negotiated by ALPN with a server
// that speaks nothing else (an h2-only server reset Ferry's HTTP/1.1 before), segment
// connections as streams of one h2 connection, extra CA certificates applied to the next
// connection, a self-signed server trusted by its pinned fingerprint (and its error naming
// that fingerprint), https tunnelled through a proxy with CONNECT, and protocol mismatches
// reported as final errors that say what to fix.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_PROXY_SETTINGS, FerryError } from '../../../app/index.js';
import type { ProxySettings } from '../../../app/index.js';
import { DEFAULT_RETRY_POLICY, isTransient } from '../../../main/engine/retry-policy.js';
import { createDispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import { runTransfer } from '../../../main/engine/transfer/index.js';
import type { FileTransferRequest } from '../../../main/engine/transfer/types.js';
import { startTestServer } from '../../support/http-server.js';
import type { TestServer } from '../../support/http-server.js';
import { startRecordingProxy } from '../../support/recording-proxy.js';
import type { RecordingProxy } from '../../support/recording-proxy.js';
import { makeTestCa } from '../../support/test-ca.js';
import type { TestCa } from '../../support/test-ca.js';
import { startTlsServer } from '../../support/tls-server.js';
import type { TlsTestServer } from '../../support/tls-server.js';
import { Targets, makeRequest, makeScratch } from './transfer-harness.js';
import type { Scratch } from './transfer-harness.js';

const BODY = randomBytes(2 * 1024 * 1024 + 77);
const BODY_SHA = sha256(BODY);

let ca: TestCa;
let h2: TlsTestServer;
let selfSigned: TlsTestServer;
let plain: TestServer;
let proxy: RecordingProxy;
let scratch: Scratch;
let targets: Targets;
/** The extra CA the pool trusts; a test changes it between transfers. */
let extraCa: string | null;
let pool: DispatcherPool;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

before(async () => {
  ca = makeTestCa();
  h2 = await startTlsServer({ ...ca.server, protocol: 'h2' });
  h2.setFile('/file.bin', BODY);
  selfSigned = await startTlsServer({ ...ca.selfSigned, protocol: 'http/1.1' });
  selfSigned.setFile('/file.bin', BODY);
  plain = await startTestServer();
  plain.setFile('/file.bin', { body: BODY });
  proxy = await startRecordingProxy();
  scratch = makeScratch('ferry-tls-transfer-');
  targets = new Targets(scratch);
  extraCa = ca.caPem;
  pool = createDispatcherPool({ connectTimeoutMs: 2000, env: {}, extraCa: () => extraCa });
});

after(async () => {
  await pool.close();
  await Promise.all([h2.close(), selfSigned.close(), plain.close(), proxy.close()]);
  scratch.cleanup();
  ca.cleanup();
});

afterEach(() => {
  targets.assertNoViolations();
  extraCa = ca.caPem;
  pool.dropIdle();
});

function request(
  url: string,
  tempPath: string,
  options: { pinned?: string[]; proxy?: ProxySettings } & Partial<FileTransferRequest> = {},
): FileTransferRequest {
  const { pinned = [], proxy: settings = DEFAULT_PROXY_SETTINGS, ...extra } = options;
  return makeRequest({
    remoteUrl: url,
    tempPath,
    connectionFor: (u) => pool.connectionFor(u, settings, pinned),
    ...extra,
  });
}

async function failure(promise: Promise<unknown>, code: string): Promise<FerryError> {
  const error = await promise.then(
    () => assert.fail('expected the transfer to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof FerryError, `expected a FerryError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.equal(error.context, 'GENERAL_TRANSPORT');
  assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), false, 'final, not retried');
  return error;
}

describe('TLS and HTTP/2', () => {
  it('downloads from an HTTP/2-only server, negotiated by ALPN', async () => {
    const { tempPath, rec } = targets.next();
    const before = h2.requests.length;
    await runTransfer(request(h2.url('/file.bin'), tempPath), rec.callbacks);
    assert.equal(sha256(readFileSync(tempPath)), BODY_SHA);
    const seen = h2.requests.slice(before);
    assert.ok(seen.length > 0);
    assert.ok(seen.every((r) => r.httpVersion === '2.0'));
  });

  it('runs the connections of a segmented file as streams of one HTTP/2 connection', async () => {
    const { tempPath, rec } = targets.next();
    const before = { requests: h2.requests.length, connections: h2.connections() };
    await runTransfer(
      request(h2.url('/file.bin'), tempPath, {
        segmentation: { connections: () => 4, minSegmentSize: 64 * 1024, stallTimeoutMs: 5000 },
      }),
      rec.callbacks,
    );
    assert.equal(sha256(readFileSync(tempPath)), BODY_SHA);
    const ranged = h2.requests.slice(before.requests).filter((r) => r.range !== undefined);
    assert.ok(ranged.length >= 2, `ranged requests: ${ranged.length}`);
    assert.equal(h2.connections() - before.connections, 1, 'one TLS connection for the file');
  });

  it('trusts extra CA certificates from the next connection on', async () => {
    extraCa = null;
    const { tempPath, rec } = targets.next();
    const refused = await failure(
      runTransfer(request(h2.url('/file.bin'), tempPath), rec.callbacks),
      'NET_TLS_FAILURE',
    );
    assert.match(refused.message, /not trusted/);
    assert.match(refused.message, /Extra CA certificates/);
    extraCa = ca.caPem;
    const again = targets.next();
    await runTransfer(request(h2.url('/file.bin'), again.tempPath), again.rec.callbacks);
    assert.equal(sha256(readFileSync(again.tempPath)), BODY_SHA);
  });

  it('names a self-signed certificate by its fingerprint, and trusts it once pinned', async () => {
    const { tempPath, rec } = targets.next();
    const refused = await failure(
      runTransfer(request(selfSigned.url('/file.bin'), tempPath), rec.callbacks),
      'NET_TLS_FAILURE',
    );
    assert.ok(refused.message.includes(ca.selfSigned.fingerprint), refused.message);
    assert.match(refused.message, /--trust-cert sha256:/);
    assert.equal(refused.sysCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');

    const other = await failure(
      runTransfer(
        request(selfSigned.url('/file.bin'), tempPath, { pinned: [ca.server.fingerprint] }),
        rec.callbacks,
      ),
      'NET_TLS_FAILURE',
    );
    assert.ok(other.message.includes(ca.selfSigned.fingerprint), 'another pin does not help');

    const pinned = targets.next();
    await runTransfer(
      request(selfSigned.url('/file.bin'), pinned.tempPath, {
        pinned: [ca.selfSigned.fingerprint],
      }),
      pinned.rec.callbacks,
    );
    assert.equal(sha256(readFileSync(pinned.tempPath)), BODY_SHA);
  });

  it('tunnels https through a proxy with CONNECT, the certificate judged as directly', async () => {
    const settings: ProxySettings = {
      usage: 'OVERRIDE',
      proxyList: [proxy.origin],
      bypassList: [],
    };
    proxy.reset();
    const { tempPath, rec } = targets.next();
    await runTransfer(
      request(selfSigned.url('/file.bin'), tempPath, {
        proxy: settings,
        pinned: [ca.selfSigned.fingerprint],
      }),
      rec.callbacks,
    );
    assert.equal(sha256(readFileSync(tempPath)), BODY_SHA);
    const host = new URL(selfSigned.origin).host;
    assert.deepEqual(
      proxy.log.map((e) => `${e.method} ${e.target}`),
      [`CONNECT ${host}`],
    );
    const unpinned = targets.next();
    await failure(
      runTransfer(
        request(selfSigned.url('/file.bin'), unpinned.tempPath, { proxy: settings }),
        unpinned.rec.callbacks,
      ),
      'NET_TLS_FAILURE',
    );
  });

  it('reports a refused CONNECT (407) as final, naming the proxy without its password', async () => {
    const guarded = await startRecordingProxy({ auth: { username: 'u', password: 'right' } });
    try {
      const host = new URL(guarded.origin).host;
      const { tempPath, rec } = targets.next();
      const error = await failure(
        runTransfer(
          request(selfSigned.url('/file.bin'), tempPath, {
            proxy: { usage: 'OVERRIDE', proxyList: [`http://u:wrong@${host}`], bypassList: [] },
            pinned: [ca.selfSigned.fingerprint],
          }),
          rec.callbacks,
        ),
        'HTTP_ACCESS_DENIED',
      );
      assert.equal(error.httpStatus, 407);
      assert.match(error.message, /rejected the user name and password/);
      assert.ok(error.message.includes(`http://u@${host}`), error.message);
      assert.doesNotMatch(error.message, /wrong/);
    } finally {
      await guarded.close();
    }
  });

  it('reports https:// to a plain HTTP port as a protocol mismatch that says what to fix', async () => {
    const { tempPath, rec } = targets.next();
    const url = plain.url('/file.bin').replace('http:', 'https:');
    const error = await failure(
      runTransfer(request(url, tempPath), rec.callbacks),
      'NET_TLS_FAILURE',
    );
    assert.match(
      error.message,
      /Protocol mismatch.*does not speak TLS on this port.*use http:\/\//,
    );
  });
});
