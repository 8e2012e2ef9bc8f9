// The CLI's warning when its proxy or CA variables differ from the running server's (issue 14:
// HTTP_PROXY or NODE_EXTRA_CA_CERTS set on a later `ferry` call did nothing, silently).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  networkEnvironment,
  networkEnvironmentWarnings,
} from '../../../app/network-environment.js';
import { valueDigest } from '../../../main/cli/value-digest.js';

describe('network environment', () => {
  it('reads the variables as Ferry does, masking a proxy password', () => {
    const env = {
      HTTP_PROXY: 'http://upper:3128',
      http_proxy: 'http://alice:s3cret@lower:3128',
      HTTPS_PROXY: ' ',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem',
    };
    const seen = networkEnvironment(env, valueDigest);
    assert.deepEqual(
      seen.map((v) => [v.name, v.value]),
      [
        ['HTTP_PROXY', 'http://alice:***@lower:3128'],
        ['HTTPS_PROXY', null],
        ['NO_PROXY', null],
        ['NODE_EXTRA_CA_CERTS', '/etc/ssl/corp.pem'],
      ],
    );
    assert.equal(seen[0]?.digest, valueDigest('http://alice:s3cret@lower:3128'));
    assert.ok(!JSON.stringify(seen).includes('s3cret'));
  });

  it('warns for each variable set here that the server does not use', () => {
    const server = networkEnvironment(
      { HTTP_PROXY: 'http://alice:old@proxy:3128', NO_PROXY: 'localhost' },
      valueDigest,
    );
    const warnings = networkEnvironmentWarnings(
      {
        HTTP_PROXY: 'http://alice:new@proxy:3128',
        NO_PROXY: 'localhost',
        NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem',
      },
      server,
      4242,
      valueDigest,
    );
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(
      warnings[0] ?? '',
      /HTTP_PROXY=http:\/\/alice:\*\*\*@proxy:3128 is set here, but the running server \(pid 4242\) uses HTTP_PROXY=http:\/\/alice:\*\*\*@proxy:3128.*defaultProxy/,
    );
    assert.match(
      warnings[1] ?? '',
      /uses no NODE_EXTRA_CA_CERTS.*settings set extraCaCertificates/,
    );
    assert.ok(!warnings.join('\n').includes('new') && !warnings.join('\n').includes('old'));
    assert.deepEqual(networkEnvironmentWarnings({}, server, 1, valueDigest), []);
  });
});
