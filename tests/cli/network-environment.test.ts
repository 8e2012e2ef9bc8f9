// The CLI warns when the proxy or CA variables of its own environment differ from those of the
// running server, which read its environment once when it started (issue 14).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serveDataDir } from './harness.js';
import type { ServedDataDir } from './harness.js';

const NONE = {
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  NODE_EXTRA_CA_CERTS: undefined,
};

describe('ferry and the server environment', () => {
  let served: ServedDataDir;
  before(async () => {
    served = await serveDataDir();
  });
  after(async () => {
    await served.close();
  });

  it('warns on stderr, password masked, when a variable differs; stdout is untouched', async () => {
    const run = await served.ferry(['settings', 'get', 'maxConcurrentJobs'], {
      env: {
        ...NONE,
        HTTPS_PROXY: 'http://bob:hunter2@proxy.example:3128',
        NODE_EXTRA_CA_CERTS: '/etc/ssl/corp-ca.pem',
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\d+\n$/);
    const lines = run.stderr.trim().split('\n');
    const https = lines.find((l) => l.includes('HTTPS_PROXY'));
    const ca = lines.find((l) => l.includes('NODE_EXTRA_CA_CERTS'));
    assert.match(
      https ?? '',
      /^ferry: warning: HTTPS_PROXY=http:\/\/bob:\*\*\*@proxy\.example:3128 is set here, but the running server \(pid \d+\) uses no HTTPS_PROXY/,
    );
    assert.match(ca ?? '', /settings set extraCaCertificates \/etc\/ssl\/corp-ca\.pem/);
    assert.doesNotMatch(run.stderr, /hunter2/);
  });

  it('says nothing when the environment is the server own', async () => {
    const run = await served.ferry(['settings', 'get', 'maxConcurrentJobs'], { env: NONE });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /warning/);
  });
});
