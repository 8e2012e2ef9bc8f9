// Guards against: the TLS error embedding a multi-line OpenSSL dump (with a source path) that
// broke the CLI's one-line error, and "connection refused" printing ECONNREFUSED twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { innermostMessage, readableDetail } from '../../../main/engine/error-chain.js';

describe('readableDetail', () => {
  it('reduces an OpenSSL error to its reason', () => {
    assert.equal(
      readableDetail(
        '805CABE0CC7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      ),
      'wrong version number',
    );
  });

  it('folds line breaks and indentation into one line', () => {
    assert.equal(readableDetail('first line\n    second\r\n third\n'), 'first line second third');
  });

  it("drops the code from Node's syscall messages, keeping the address", () => {
    assert.equal(
      readableDetail('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'),
      'connect 127.0.0.1:9',
    );
    assert.equal(readableDetail('read ECONNRESET', 'ECONNRESET'), 'read');
    assert.equal(
      readableDetail('getaddrinfo ENOTFOUND example.invalid', 'ENOTFOUND'),
      'getaddrinfo example.invalid',
    );
    assert.equal(
      readableDetail('connect ECONNREFUSED 127.0.0.1:9', 'EOTHER'),
      'connect ECONNREFUSED 127.0.0.1:9',
    );
  });

  it('is what innermostMessage gives for a wrapped error', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
    });
    assert.equal(
      innermostMessage(new Error('fetch failed', { cause: socket })),
      'connect 127.0.0.1:9',
    );
  });
});
