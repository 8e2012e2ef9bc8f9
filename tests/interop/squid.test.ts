// Interoperability with Squid (Debian's package and its stock access rules, conf/squid.conf):
// http:// is forwarded (Squid's `http_access deny CONNECT !SSL_ports` refuses a CONNECT to
// port 80, which is why tunnelling http failed, issue 14), https:// goes through CONNECT, and
// a proxy that wants a password fails the job at once with a message saying what to fix.
// Squid's access.log shows what went through it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { skipUnless } from './support/daemons.js';
import { startNginx } from './support/nginx.js';
import type { FileServer } from './support/nginx.js';
import { startSquid } from './support/squid.js';
import type { Squid, SquidLogEntry } from './support/squid.js';
import {
  destination,
  failedTransfer,
  serveDataDir,
  setDefaultProxy,
  sha256,
  transfer,
} from './support/ferry.js';
import type { ServedDataDir } from './support/ferry.js';
import { makeTestCa } from '../support/test-ca.js';
import type { TestCa } from '../support/test-ca.js';
import { startTlsServer } from '../support/tls-server.js';
import type { TlsTestServer } from '../support/tls-server.js';

const MiB = 1024 * 1024;

/** access.log lines of real requests (a readiness probe's empty connection logs as `-`). */
function requests(squid: Squid): SquidLogEntry[] {
  return squid.accessLog().filter((entry) => entry.method !== '-');
}

describe('Squid', { skip: skipUnless('squid', 'squid') }, () => {
  let nginx: FileServer;
  let ca: TestCa;
  let tls: TlsTestServer;
  let squid: Squid;
  let guarded: Squid;
  let served: ServedDataDir;
  let dest: string;
  const body = randomBytes(3 * MiB + 1);

  before(async () => {
    ca = makeTestCa();
    tls = await startTlsServer({ ...ca.server, protocol: 'h2' });
    // The stock rule lets CONNECT reach the SSL_ports only: this https server's port is one,
    // as an administrator lists the ports of their https services.
    const sslPorts = [Number(new URL(tls.origin).port)];
    [nginx, squid, guarded, served, dest] = await Promise.all([
      startNginx(),
      startSquid({ sslPorts }),
      startSquid({ sslPorts, auth: { user: 'ferry', password: 'pass word' } }),
      serveDataDir(),
      destination(),
    ]);
    nginx.put('/pub/release.bin', body);
    tls.setFile('/secure.bin', body);
  });
  after(async () => {
    await Promise.all([nginx.stop(), squid.stop(), guarded.stop(), tls.close(), served.close()]);
    rmSync(dest, { recursive: true, force: true });
    ca.cleanup();
  });

  it('forwards an http:// download under the stock CONNECT rule (no CONNECT)', async () => {
    await setDefaultProxy(served, squid.origin);
    const done = await transfer(served, nginx.url('/pub/release.bin'), dest);
    assert.equal(done.name, 'release.bin');
    assert.equal(sha256(done.path), sha256(body));
    const seen = requests(squid);
    assert.ok(seen.length > 0);
    assert.ok(
      seen.every((e) => e.method === 'GET' && e.url === nginx.url('/pub/release.bin')),
      JSON.stringify(seen),
    );
    assert.ok(seen.some((e) => e.action === 'TCP_MISS' && e.status === 200));
  });

  /**
   * Runs `fn` with a `ferry serve` of its own (trusting the test CA, with `proxy`), then stops
   * it: Squid logs a CONNECT only when the tunnel closes, and Ferry keeps its connections.
   */
  async function ownServer(proxy: string, fn: (own: ServedDataDir) => Promise<void>) {
    const own = await serveDataDir();
    try {
      const trusted = await own.ferry(['settings', 'set', 'extraCaCertificates', ca.caPath]);
      assert.equal(trusted.code, 0, trusted.stderr);
      await setDefaultProxy(own, proxy);
      await fn(own);
    } finally {
      await own.close();
    }
  }

  /** access.log's CONNECT lines, once Squid has written them (after the tunnels closed). */
  async function connects(proxy: Squid): Promise<SquidLogEntry[]> {
    for (let i = 0; i < 100; i++) {
      const lines = requests(proxy).filter((e) => e.method === 'CONNECT');
      if (lines.length > 0) return lines;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [];
  }

  it('tunnels an https:// download with CONNECT (HTTP/2 inside the tunnel)', async () => {
    const before = tls.requests.length;
    await ownServer(squid.origin, async (own) => {
      const done = await transfer(own, tls.url('/secure.bin'), dest);
      assert.equal(done.name, 'secure.bin');
      assert.equal(sha256(done.path), sha256(body));
    });
    const host = new URL(tls.origin).host;
    const tunnels = await connects(squid);
    assert.ok(tunnels.length > 0, 'Squid logged the tunnel');
    assert.ok(
      tunnels.every((e) => e.url === host && e.action === 'TCP_TUNNEL' && e.status === 200),
      JSON.stringify(tunnels),
    );
    const inside = tls.requests.slice(before);
    assert.ok(inside.length > 0 && inside.every((r) => r.httpVersion === '2.0'));
  });

  it('fails at once when the policy denies the destination (403 from Squid itself)', async () => {
    await setDefaultProxy(served, squid.origin);
    const url = 'http://files.denied.invalid/report.pdf';
    const failed = await failedTransfer(served, url, dest);
    assert.equal(failed.state, 'ERROR');
    assert.equal(failed.error.context, 'GENERAL_TRANSPORT');
    assert.equal(failed.error.httpStatus, 403);
    assert.match(failed.error.message, /The proxy http:\/\/127\.0\.0\.1:\d+ denied access to/);
    assert.ok(requests(squid).some((e) => e.action === 'TCP_DENIED' && e.url === url));
  });

  it('fails at once when the stock rule refuses CONNECT to a port not among SSL_ports', async () => {
    await setDefaultProxy(served, squid.origin);
    // nginx's port is not an SSL port: Squid answers the CONNECT with 403, before any TLS.
    const url = nginx.url('/pub/release.bin').replace('http:', 'https:');
    const failed = await failedTransfer(served, url, dest);
    assert.equal(failed.state, 'ERROR');
    assert.equal(failed.error.context, 'GENERAL_TRANSPORT');
    assert.equal(failed.error.httpStatus, 403);
    assert.match(failed.error.message, /denied access to 127\.0\.0\.1:\d+ \(HTTP 403 Forbidden\)/);
    const host = new URL(url).host;
    assert.ok(
      requests(squid).some((e) => e.method === 'CONNECT' && e.url === host && e.status === 403),
    );
  });

  it('fails at once, saying what to fix, without credentials for a proxy that wants them', async () => {
    await setDefaultProxy(served, guarded.origin);
    const failed = await failedTransfer(served, nginx.url('/pub/release.bin'), dest);
    assert.equal(failed.state, 'ERROR');
    assert.equal(failed.error.context, 'GENERAL_TRANSPORT');
    assert.equal(failed.error.httpStatus, 407);
    // What to fix: credentials for the proxy (the job's, or in the proxy address).
    assert.match(failed.error.message, /407 .*proxy/i);
    assert.match(failed.error.message, /SetCredentials, target PROXY|user:password@host:port/);
    assert.deepEqual(
      requests(guarded).map((e) => `${e.action}/${e.status} ${e.method} ${e.url}`),
      [`TCP_DENIED/407 GET ${nginx.url('/pub/release.bin')}`],
      'one refused request, not retried',
    );
  });

  it('fails at once with a wrong password, and never shows it', async () => {
    await setDefaultProxy(served, `http://ferry:nope@${guarded.host}`);
    const failed = await failedTransfer(served, nginx.url('/pub/release.bin'), dest);
    assert.equal(failed.state, 'ERROR');
    assert.equal(failed.error.context, 'GENERAL_TRANSPORT');
    assert.match(failed.error.message, /rejected the user name and password/);
    assert.ok(failed.error.message.includes(`http://ferry@${guarded.host}`));
    assert.doesNotMatch(`${failed.error.message}\n${failed.run.stderr}`, /nope/);
  });

  it('goes through with the right password (forwarded and tunnelled)', async () => {
    await setDefaultProxy(served, `http://ferry:pass%20word@${guarded.host}`);
    const plain = await transfer(served, nginx.url('/pub/release.bin'), dest);
    assert.equal(sha256(plain.path), sha256(body));
    assert.ok(
      requests(guarded).some(
        (e) => e.user === 'ferry' && e.method === 'GET' && e.url === nginx.url('/pub/release.bin'),
      ),
    );
    await ownServer(`http://ferry:pass%20word@${guarded.host}`, async (own) => {
      const secure = await transfer(own, tls.url('/secure.bin'), dest);
      assert.equal(sha256(secure.path), sha256(body));
    });
    const tunnels = await connects(guarded);
    assert.ok(tunnels.some((e) => e.user === 'ferry' && e.action === 'TCP_TUNNEL'));
  });
});
