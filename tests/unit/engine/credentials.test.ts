// Job credentials outside the transfer: URL userinfo moved out of the URL, the sealed store
// value, and the SetCredentials / RemoveCredentials input checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasErrorCode, parseInput } from '../../../app/index.js';
import { removeCredentialsInput, setCredentialsInput } from '../../../app/credential-commands.js';
import { createSecretBox } from '../../../main/engine/store/secret-box.js';
import { openCredentials, sealCredentials } from '../../../main/engine/store/sealed-credentials.js';
import { splitUrlCredentials } from '../../../main/engine/url-credentials.js';

const JOB = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('splitUrlCredentials', () => {
  it('moves user and password (percent-decoded) out of an http(s) URL, for Basic and Digest', () => {
    const split = splitUrlCredentials('https://al%40ice:p%3Ass@example.com:8443/a/b?c=1');
    assert.equal(split.remoteUrl, 'https://example.com:8443/a/b?c=1');
    assert.deepEqual(split.credentials, [
      { target: 'SERVER', scheme: 'BASIC', userName: 'al@ice', password: 'p:ss' },
      { target: 'SERVER', scheme: 'DIGEST', userName: 'al@ice', password: 'p:ss' },
    ]);
  });

  it('leaves URLs without userinfo, file: URLs and unparsable text unchanged', () => {
    for (const url of ['http://example.com/f', 'file:///tmp/x', 'not a url']) {
      assert.deepEqual(splitUrlCredentials(url), { remoteUrl: url, credentials: [] });
    }
  });

  it('a user without a password keeps an empty password', () => {
    const split = splitUrlCredentials('http://bob@example.com/f');
    assert.equal(split.remoteUrl, 'http://example.com/f');
    assert.deepEqual(
      split.credentials.map((c) => [c.userName, c.password]),
      [
        ['bob', ''],
        ['bob', ''],
      ],
    );
  });
});

describe('sealed credentials', () => {
  const box = createSecretBox(Buffer.alloc(32, 9));
  const credentials = [
    { target: 'SERVER', scheme: 'DIGEST', userName: 'alice', password: 'correct horse' },
  ] as const;

  it('round-trips, and the stored text holds neither user name nor password', () => {
    const stored = sealCredentials(box, credentials);
    assert.doesNotMatch(stored, /alice|correct horse/);
    assert.deepEqual(openCredentials(box, stored), credentials);
    assert.deepEqual(openCredentials(box, ''), []);
  });

  it('a value of the wrong shape is STORE_FAILED, not a crash', () => {
    const bad = box.seal(JSON.stringify([{ target: 'SERVER', scheme: 'NTLM' }]));
    assert.throws(
      () => openCredentials(box, bad),
      (e: unknown) => hasErrorCode(e, 'STORE_FAILED'),
    );
    assert.throws(
      () => openCredentials(box, box.seal('{')),
      (e: unknown) => hasErrorCode(e, 'STORE_FAILED'),
    );
  });
});

describe('SetCredentials input', () => {
  const parse = (input: object) => parseInput('SetCredentials', setCredentialsInput, input);

  it('accepts Basic and Digest for server and proxy, an empty password too', () => {
    const input = parse({
      jobId: JOB,
      target: 'PROXY',
      scheme: 'DIGEST',
      userName: 'u',
      password: '',
    });
    assert.equal(input.scheme, 'DIGEST');
  });

  it('refuses NTLM by name, a colon in a Basic user, control characters, an empty user', () => {
    const refused = (input: object, pattern: RegExp): void => {
      assert.throws(
        () =>
          parse({
            jobId: JOB,
            target: 'SERVER',
            scheme: 'BASIC',
            userName: 'u',
            password: 'p',
            ...input,
          }),
        (e: unknown) => hasErrorCode(e, 'INPUT_INVALID') && pattern.test((e as Error).message),
      );
    };
    refused({ scheme: 'NTLM' }, /NTLM is not supported/);
    refused({ userName: 'a:b' }, /must not contain ':' with BASIC/);
    refused({ password: 'a\r\nX-Evil: 1' }, /control characters/);
    refused({ userName: '' }, /must not be empty/);
    refused({ target: 'CLIENT' }, /target/);
  });

  it('RemoveCredentials names a target and a scheme', () => {
    const input = parseInput('RemoveCredentials', removeCredentialsInput, {
      jobId: JOB,
      target: 'SERVER',
      scheme: 'BASIC',
    });
    assert.equal(input.target, 'SERVER');
  });
});
