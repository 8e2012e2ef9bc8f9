// A response Ferry cannot parse gets its own final error (HTTP_MALFORMED_RESPONSE, REMOTE_FILE)
// naming the problem, while a body that really ends short stays HTTP_LENGTH_MISMATCH.
// Guards against: undici's parse error of a response head (a control byte in
// Content-Disposition) surfaced as "Network failure ... Response body length does not match
// content-length header", and a broken status line as a transient NET_FAILURE.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROXY_SETTINGS, FerryError } from '../../../app/index.js';
import { DEFAULT_RETRY_POLICY, isTransient } from '../../../main/engine/retry-policy.js';
import { createDispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import type { DispatcherPool } from '../../../main/engine/transfer/http/proxy.js';
import { runTransfer } from '../../../main/engine/transfer/index.js';
import { startRawServer } from '../../support/raw-server.js';
import { Targets, makeRequest, makeScratch, rejection } from './transfer-harness.js';
import type { Scratch } from './transfer-harness.js';

let pool: DispatcherPool;
let scratch: Scratch;
let targets: Targets;

before(() => {
  pool = createDispatcherPool({ connectTimeoutMs: 2000, env: {} });
  scratch = makeScratch('ferry-malformed-');
  targets = new Targets(scratch);
});

after(async () => {
  await pool.close();
  scratch.cleanup();
});

/** What a transfer from a server that always writes `response` rejects with. */
async function failureFor(response: string): Promise<FerryError> {
  const raw = await startRawServer((socket) => {
    socket.end(response);
  });
  try {
    const { tempPath, rec } = targets.next();
    const req = makeRequest({
      remoteUrl: raw.url('/f.bin'),
      tempPath,
      connectionFor: (url) => pool.connectionFor(url, DEFAULT_PROXY_SETTINGS),
    });
    const error = await rejection(runTransfer(req, rec.callbacks));
    assert.ok(error instanceof FerryError, `expected a FerryError, got ${String(error)}`);
    return error;
  } finally {
    await raw.close();
    targets.assertNoViolations();
  }
}

describe('a response Ferry cannot parse', () => {
  it('a control byte in a header after Content-Length is a final malformed head', async () => {
    const error = await failureFor(
      'HTTP/1.1 200 OK\r\nContent-Length: 16\r\n' +
        'Content-Disposition: attachment; filename="evil\x01\x1b[31mname"\r\n\r\n' +
        'x'.repeat(16),
    );
    assert.equal(error.code, 'HTTP_MALFORMED_RESPONSE', error.message);
    assert.equal(error.context, 'REMOTE_FILE');
    assert.match(error.message, /^The server sent a response head Ferry cannot parse: .*control/);
    assert.match(error.message, /127\.0\.0\.1:\d+\/f\.bin/);
    assert.doesNotMatch(error.message, /content-length header/i);
    assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), false);
  });

  it('a broken status line is a final malformed head naming what llhttp said', async () => {
    const error = await failureFor('HTTP/1.1 2x0 OK\r\nContent-Length: 4\r\n\r\nabcd');
    assert.equal(error.code, 'HTTP_MALFORMED_RESPONSE', error.message);
    assert.equal(error.context, 'REMOTE_FILE');
    assert.match(error.message, /cannot parse: Invalid status code/);
    assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), false);
  });

  it('a body cut short after a good head stays a transient HTTP_LENGTH_MISMATCH', async () => {
    const error = await failureFor(
      'HTTP/1.1 200 OK\r\nContent-Length: 32\r\n\r\n' + 'x'.repeat(16),
    );
    assert.equal(error.code, 'HTTP_LENGTH_MISMATCH', error.message);
    assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), true);
  });

  it('broken chunked framing in the body is a final malformed body', async () => {
    const error = await failureFor(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nzz\r\n',
    );
    assert.equal(error.code, 'HTTP_MALFORMED_RESPONSE', error.message);
    assert.match(error.message, /response body Ferry cannot parse/);
  });
});
