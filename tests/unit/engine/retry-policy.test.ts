import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FerryErrorCode } from '../../../app/index.js';
import { FERRY_ERROR_CODES, FerryError } from '../../../app/index.js';
import { DEFAULT_RETRY_POLICY, isTransient, retryTime } from '../../../main/engine/retry-policy.js';
import type { RetryPolicy } from '../../../main/engine/retry-policy.js';

function err(code: FerryErrorCode, httpStatus?: number, retryAfter?: number): FerryError {
  const details: { httpStatus?: number; retryAfter?: number } = {};
  if (httpStatus !== undefined) details.httpStatus = httpStatus;
  if (retryAfter !== undefined) details.retryAfter = retryAfter;
  return new FerryError(code, 'GENERAL_TRANSPORT', `test ${code}`, details);
}

describe('isTransient with the default policy', () => {
  // [code, HTTP status or undefined, transient]
  const cases: readonly [FerryErrorCode, number | undefined, boolean][] = [
    ['HTTP_REQUEST_TIMEOUT', 408, true],
    ['HTTP_TOO_MANY_REQUESTS', 429, true],
    ['HTTP_SERVER_ERROR', 500, true],
    ['HTTP_SERVER_ERROR', 502, true],
    ['HTTP_SERVER_ERROR', 503, true],
    ['HTTP_SERVER_ERROR', 599, true],
    ['HTTP_UNEXPECTED_STATUS', 504, true],
    ['HTTP_NOT_FOUND', 404, false],
    ['HTTP_ACCESS_DENIED', 403, false],
    ['HTTP_ACCESS_DENIED', 401, false],
    ['HTTP_CLIENT_ERROR', 400, false],
    ['HTTP_CLIENT_ERROR', 410, false],
    ['HTTP_UNEXPECTED_STATUS', 304, false],
    ['HTTP_TOO_MANY_REDIRECTS', 302, false],
    ['HTTP_REDIRECT_LOOP', 301, false],
    ['HTTP_BAD_REDIRECT', 302, false],
    // Regression: an upload to a plain web server (501 to BITS_POST) was retried for days.
    ['HTTP_PROTOCOL_MISMATCH', 501, false],
    ['HTTP_PROTOCOL_MISMATCH', 405, false],
    ['HTTP_PROTOCOL_MISMATCH', undefined, false],
    // A body shorter than announced, or a wrong Content-Range, on a 2xx response: retry.
    ['HTTP_LENGTH_MISMATCH', 200, true],
    ['HTTP_LENGTH_MISMATCH', 206, true],
    ['HTTP_LENGTH_MISMATCH', undefined, true],
    ['HTTP_BAD_CONTENT_RANGE', 206, true],
    ['NET_CONNECTION_RESET', undefined, true],
    ['NET_CONNECTION_REFUSED', undefined, true],
    ['NET_TIMEOUT', undefined, true],
    ['NET_DNS_FAILURE', undefined, true],
    ['NET_PROXY_FAILURE', undefined, true],
    ['NET_FAILURE', undefined, true],
    ['NET_TLS_FAILURE', undefined, false],
    ['DISK_FULL', undefined, false],
    ['DISK_ACCESS_DENIED', undefined, false],
    ['DISK_PATH_INVALID', undefined, false],
    ['DISK_IO_ERROR', undefined, false],
    ['FILE_SOURCE_NOT_FOUND', undefined, false],
    ['FILE_SOURCE_CHANGED', undefined, false],
    ['FILE_RENAME_FAILED', undefined, false],
    ['INTERNAL', undefined, false],
  ];
  for (const [code, status, transient] of cases) {
    it(`${code}${status === undefined ? '' : ` (${status})`} → ${transient ? 'transient' : 'final'}`, () => {
      assert.equal(isTransient(DEFAULT_RETRY_POLICY, err(code, status)), transient);
    });
  }

  it('treats exactly the documented codes as transient when no status is known', () => {
    const expected = new Set<FerryErrorCode>([
      'HTTP_REQUEST_TIMEOUT',
      'HTTP_TOO_MANY_REQUESTS',
      'HTTP_SERVER_ERROR',
      'HTTP_LENGTH_MISMATCH',
      'HTTP_BAD_CONTENT_RANGE',
      'NET_CONNECTION_RESET',
      'NET_CONNECTION_REFUSED',
      'NET_TIMEOUT',
      'NET_DNS_FAILURE',
      'NET_PROXY_FAILURE',
      'NET_FAILURE',
    ]);
    const transient = FERRY_ERROR_CODES.filter((code) =>
      isTransient(DEFAULT_RETRY_POLICY, err(code)),
    );
    assert.deepEqual(new Set(transient), expected);
  });

  it('retries 408, 429 and every 5xx status, and nothing else from 100 to 599', () => {
    for (let status = 100; status < 600; status++) {
      const expected = status === 408 || status === 429 || status >= 500;
      assert.equal(
        isTransient(DEFAULT_RETRY_POLICY, err('HTTP_UNEXPECTED_STATUS', status)),
        expected,
        `status ${status}`,
      );
    }
  });

  it('has the BITS floor of 5 s and honours Retry-After', () => {
    assert.equal(DEFAULT_RETRY_POLICY.minimumRetryDelayFloor, 5);
    assert.equal(DEFAULT_RETRY_POLICY.honourRetryAfter, true);
  });
});

// Guards against: a response head undici cannot parse (a control byte in Content-Disposition)
// retried forever as a transient NET_FAILURE, so `ferry transfer` never returned.
describe('an unparseable response is final', () => {
  it('NET_FAILURE with UND_ERR_RES_CONTENT_LENGTH_MISMATCH or HPE_* is not retried', () => {
    for (const sysCode of ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'HPE_INVALID_HEADER_TOKEN']) {
      const error = new FerryError('NET_FAILURE', 'GENERAL_TRANSPORT', 'x', { sysCode });
      assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), false, sysCode);
    }
  });
  it('a body that really ended short stays transient', () => {
    const error = new FerryError('HTTP_LENGTH_MISMATCH', 'GENERAL_TRANSPORT', 'x', {
      sysCode: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    });
    assert.equal(isTransient(DEFAULT_RETRY_POLICY, error), true);
  });
});

describe('isTransient follows the policy given', () => {
  const strict: RetryPolicy = {
    retryableStatuses: new Set([503]),
    retryableCodes: new Set<FerryErrorCode>(['DISK_FULL', 'HTTP_LENGTH_MISMATCH']),
    finalSysCodes: new Set(),
    honourRetryAfter: false,
    minimumRetryDelayFloor: 0,
  };
  const cases: readonly [FerryErrorCode, number | undefined, boolean][] = [
    ['HTTP_SERVER_ERROR', 503, true],
    ['HTTP_SERVER_ERROR', 500, false],
    ['HTTP_TOO_MANY_REQUESTS', 429, false],
    ['NET_CONNECTION_RESET', undefined, false],
    ['DISK_FULL', undefined, true],
    ['HTTP_LENGTH_MISMATCH', 200, true],
    ['HTTP_BAD_CONTENT_RANGE', 206, false],
  ];
  for (const [code, status, transient] of cases) {
    it(`${code}${status === undefined ? '' : ` (${status})`} → ${transient}`, () => {
      assert.equal(isTransient(strict, err(code, status)), transient);
    });
  }
});

describe('retryTime', () => {
  const NOW = 1_700_000_000_000;
  const noRetryAfter: RetryPolicy = { ...DEFAULT_RETRY_POLICY, honourRetryAfter: false };
  // [policy, minimum retry delay (s), Retry-After (s), expected delay (s)]
  const cases: readonly [string, RetryPolicy, number, number | undefined, number][] = [
    ['no Retry-After', DEFAULT_RETRY_POLICY, 600, undefined, 600],
    ['shorter Retry-After', DEFAULT_RETRY_POLICY, 600, 30, 600],
    ['longer Retry-After', DEFAULT_RETRY_POLICY, 5, 120, 120],
    ['equal Retry-After', DEFAULT_RETRY_POLICY, 60, 60, 60],
    ['Retry-After of 0', DEFAULT_RETRY_POLICY, 10, 0, 10],
    ['fractional delays', DEFAULT_RETRY_POLICY, 0.25, 0.5, 0.5],
    ['longer Retry-After, not honoured', noRetryAfter, 5, 120, 5],
    ['no Retry-After, not honoured', noRetryAfter, 7, undefined, 7],
  ];
  for (const [name, policy, minimum, retryAfter, expected] of cases) {
    it(`${name}: waits ${expected} s`, () => {
      const error = err('HTTP_SERVER_ERROR', 503, retryAfter);
      assert.equal(retryTime(policy, NOW, minimum, error), NOW + expected * 1000);
    });
  }
});
