// Basic and Digest authentication: challenge parsing, RFC 7616's worked examples, and the
// authenticator against a real server on 127.0.0.1 that checks every answer with its own code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import type { JobCredential } from '../../../../app/model/credentials.js';
import { FerryError } from '../../../../app/index.js';
import { parseChallenges } from '../../../../main/engine/transfer/auth/challenge.js';
import { Authenticator } from '../../../../main/engine/transfer/auth/authenticator.js';
import { startAuthServer } from '../../../support/auth-server.js';
import type { AuthServer } from '../../../support/auth-server.js';

const ALICE_BASIC: JobCredential = {
  target: 'SERVER',
  scheme: 'BASIC',
  userName: 'alice',
  password: 'pä ss:word',
};
const ALICE_DIGEST: JobCredential = { ...ALICE_BASIC, scheme: 'DIGEST' };

describe('parseChallenges', () => {
  it('reads several challenges from one header, quoted strings with escapes and commas', () => {
    const challenges = parseChallenges(
      'Digest realm="a, \\"b\\"", qop="auth,auth-int", nonce=abc, Basic realm="x"',
    );
    assert.deepEqual(
      challenges.map((c) => [c.scheme, Object.fromEntries(c.params)]),
      [
        ['digest', { realm: 'a, "b"', qop: 'auth,auth-int', nonce: 'abc' }],
        ['basic', { realm: 'x' }],
      ],
    );
  });

  it('reads repeated headers, token68 challenges and bare schemes', () => {
    const challenges = parseChallenges(['Negotiate abc==', 'NTLM', 'Basic realm="r"']);
    assert.deepEqual(
      challenges.map((c) => [c.scheme, c.params.get('token68') ?? null, c.params.get('realm')]),
      [
        ['negotiate', 'abc==', undefined],
        ['ntlm', null, undefined],
        ['basic', null, 'r'],
      ],
    );
  });

  it('returns nothing for a missing header', () => {
    assert.deepEqual(parseChallenges(undefined), []);
  });
});

describe('Digest answers match RFC 7616 section 3.9.1', () => {
  // The RFC's example: user Mufasa, password "Circle of Life", GET /dir/index.html.
  const challenge = (algorithm: string): string =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
  const mufasa: JobCredential = {
    target: 'SERVER',
    scheme: 'DIGEST',
    userName: 'Mufasa',
    password: 'Circle of Life',
  };
  const url = new URL('http://www.example.org/dir/index.html');
  for (const [algorithm, response] of [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const) {
    it(`${algorithm}: the response the RFC prints`, () => {
      const auth = new Authenticator(
        'SERVER',
        [mufasa],
        () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      );
      assert.equal(auth.challenged(401, url, challenge(algorithm), null), null);
      const answer = auth.authorization('GET', url) ?? '';
      assert.match(answer, new RegExp(`response="${response}"`));
      assert.match(answer, /nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ"/);
      assert.match(answer, /opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"/);
      assert.match(answer, /uri="\/dir\/index.html"/);
      // The next request counts on: nc 2.
      assert.match(auth.authorization('GET', url) ?? '', /nc=00000002/);
    });
  }
});

/** GET `url` as the transfer does: answer challenges, at most two extra rounds. */
async function fetchWith(
  auth: Authenticator,
  url: string,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  for (let round = 0; round < 3; round++) {
    const sent = auth.authorization('GET', target);
    const res = await request(target, { headers: sent === null ? {} : { authorization: sent } });
    const body = await res.body.text();
    if (res.statusCode !== 401) return { status: res.statusCode, body };
    const error = auth.challenged(401, target, res.headers['www-authenticate'], sent);
    if (error !== null) throw error;
  }
  throw new Error('too many rounds');
}

describe('Authenticator against a real server', () => {
  let basic: AuthServer;
  let md5: AuthServer;
  let sha256: AuthServer;

  before(async () => {
    basic = await startAuthServer({ scheme: 'basic', user: 'alice', password: 'pä ss:word' });
    md5 = await startAuthServer({ scheme: 'digest', user: 'alice', password: 'pä ss:word' });
    sha256 = await startAuthServer({
      scheme: 'digest',
      user: 'alice',
      password: 'pä ss:word',
      algorithm: 'SHA-256',
    });
    for (const server of [basic, md5, sha256]) server.setFile('/f', { body: Buffer.from('ok') });
  });

  after(async () => {
    await Promise.all([basic.close(), md5.close(), sha256.close()]);
  });

  it('Basic: answers the challenge, then sends the credentials at once on the next request', async () => {
    const auth = new Authenticator('SERVER', [ALICE_BASIC, ALICE_DIGEST]);
    assert.deepEqual(await fetchWith(auth, basic.url('/f')), { status: 200, body: 'ok' });
    assert.deepEqual(await fetchWith(auth, basic.url('/f?again')), { status: 200, body: 'ok' });
    assert.deepEqual(
      basic.requests.map((r) => r.status),
      [401, 200, 200],
    );
  });

  for (const [name, server] of [
    ['MD5', () => md5],
    ['SHA-256', () => sha256],
  ] as const) {
    it(`Digest ${name}: answers, reuses the nonce with a growing count, survives a stale nonce`, async () => {
      const auth = new Authenticator('SERVER', [ALICE_DIGEST]);
      assert.equal((await fetchWith(auth, server().url('/f?q=1'))).status, 200);
      assert.equal((await fetchWith(auth, server().url('/f'))).status, 200);
      server().expireNonce();
      assert.equal((await fetchWith(auth, server().url('/f'))).status, 200);
      assert.deepEqual(
        server().requests.map((r) => r.status),
        [401, 200, 200, 401, 200],
      );
      assert.match(server().requests[2]?.authorization ?? '', /nc=00000002/);
    });
  }

  it('rejected credentials are an HTTP_ACCESS_DENIED error naming scheme and user', async () => {
    const auth = new Authenticator('SERVER', [{ ...ALICE_DIGEST, password: 'wrong' }]);
    const error = await fetchWith(auth, md5.url('/f')).catch((e: unknown) => e);
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'HTTP_ACCESS_DENIED');
    assert.equal(error.context, 'REMOTE_FILE');
    assert.equal(error.httpStatus, 401);
    assert.match(
      error.message,
      /rejected the job's server credentials \(Digest, user 'alice'\): correct them with SetCredentials, target SERVER \(ferry setcreds JOB --target server\)$/,
    );
    assert.doesNotMatch(error.message, /wrong/);
  });

  it('no credentials: the error says which are missing', async () => {
    const error = await fetchWith(new Authenticator('SERVER', []), md5.url('/f')).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof FerryError);
    assert.match(
      error.message,
      /asks for digest realm "ferry-test" and the job has no server credentials: set them with SetCredentials, target SERVER \(ferry setcreds JOB --target server\)$/,
    );
  });

  it('a scheme the job has no credentials for is refused, not answered with another', async () => {
    const error = await fetchWith(new Authenticator('SERVER', [ALICE_BASIC]), md5.url('/f')).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof FerryError);
    assert.match(error.message, /credentials are for Basic only/);
    // Basic credentials were never sent to a server that asked for Digest.
    assert.ok(md5.requests.every((r) => !(r.authorization ?? '').startsWith('Basic')));
  });

  it('a proxy target answers with GENERAL_TRANSPORT context', () => {
    const auth = new Authenticator('PROXY', []);
    const error = auth.challenged(407, new URL('http://h/f'), 'Basic realm="p"', null);
    assert.ok(error !== null);
    assert.equal(error.context, 'GENERAL_TRANSPORT');
    assert.match(
      error.message,
      /the proxy asks for basic realm "p" and the job has no proxy credentials: set them with SetCredentials, target PROXY \(ferry setcreds JOB --target proxy\)$/,
    );
  });
});
