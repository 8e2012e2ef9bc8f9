// Every mapping of map-error.ts in one table: HTTP statuses, network and fs system codes,
// Retry-After in both forms. The engine's retry policy matches on these codes and contexts,
// so a silently changed row would change which failures are retried.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FerryError } from '../../../../app/index.js';
import {
  bodyStreamError,
  httpStatusError,
  localFileError,
  networkError,
  parseRetryAfter,
  sourceFileError,
} from '../../../../main/engine/transfer/map-error.js';

const URL_ = 'http://127.0.0.1:1234/missing.bin';

/** A Node-style system error. */
function sys(code: string, message = `${code} failure`): Error {
  return Object.assign(new Error(message), { code });
}

/** An undici-style error wrapping `cause`. */
function wrapped(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? {} : { cause }), { code });
}

interface Row {
  readonly name: string;
  readonly make: () => FerryError;
  readonly code: string;
  readonly context: string;
  readonly httpStatus?: number;
  readonly sysCode?: string;
  readonly retryAfter?: number;
  readonly message?: string | RegExp;
}

const future = new Date(Date.now() + 120_000).toUTCString();

const rows: readonly Row[] = [
  // HTTP statuses
  {
    name: '404',
    make: () => httpStatusError(404, URL_),
    code: 'HTTP_NOT_FOUND',
    context: 'REMOTE_FILE',
    httpStatus: 404,
    message: `HTTP 404 Not Found for ${URL_}`,
  },
  {
    name: '410',
    make: () => httpStatusError(410, URL_),
    code: 'HTTP_NOT_FOUND',
    context: 'REMOTE_FILE',
    httpStatus: 410,
  },
  {
    name: '401',
    make: () => httpStatusError(401, URL_),
    code: 'HTTP_ACCESS_DENIED',
    context: 'REMOTE_FILE',
    httpStatus: 401,
  },
  {
    name: '403',
    make: () => httpStatusError(403, URL_),
    code: 'HTTP_ACCESS_DENIED',
    context: 'REMOTE_FILE',
    httpStatus: 403,
  },
  {
    name: '407',
    make: () => httpStatusError(407, URL_),
    code: 'HTTP_ACCESS_DENIED',
    context: 'REMOTE_FILE',
    httpStatus: 407,
  },
  {
    name: '408',
    make: () => httpStatusError(408, URL_),
    code: 'HTTP_REQUEST_TIMEOUT',
    context: 'GENERAL_TRANSPORT',
    httpStatus: 408,
  },
  {
    name: '429 + delta',
    make: () => httpStatusError(429, URL_, '30'),
    code: 'HTTP_TOO_MANY_REQUESTS',
    context: 'GENERAL_TRANSPORT',
    httpStatus: 429,
    retryAfter: 30,
  },
  {
    name: '500',
    make: () => httpStatusError(500, URL_),
    code: 'HTTP_SERVER_ERROR',
    context: 'GENERAL_TRANSPORT',
    httpStatus: 500,
  },
  {
    name: '503 + date',
    make: () => httpStatusError(503, URL_, [future]),
    code: 'HTTP_SERVER_ERROR',
    context: 'GENERAL_TRANSPORT',
    httpStatus: 503,
  },
  {
    name: '599',
    make: () => httpStatusError(599, URL_),
    code: 'HTTP_SERVER_ERROR',
    context: 'GENERAL_TRANSPORT',
    httpStatus: 599,
  },
  {
    name: '400',
    make: () => httpStatusError(400, URL_),
    code: 'HTTP_CLIENT_ERROR',
    context: 'REMOTE_FILE',
    httpStatus: 400,
  },
  {
    name: '418',
    make: () => httpStatusError(418, URL_),
    code: 'HTTP_CLIENT_ERROR',
    context: 'REMOTE_FILE',
    httpStatus: 418,
  },
  {
    name: '304',
    make: () => httpStatusError(304, URL_),
    code: 'HTTP_UNEXPECTED_STATUS',
    context: 'REMOTE_FILE',
    httpStatus: 304,
    message: /^Unexpected HTTP 304 Not Modified for /,
  },
  {
    name: '204',
    make: () => httpStatusError(204, URL_),
    code: 'HTTP_UNEXPECTED_STATUS',
    context: 'REMOTE_FILE',
    httpStatus: 204,
  },
  {
    name: 'credentials hidden',
    make: () => httpStatusError(404, 'http://u:secret@h/x'),
    code: 'HTTP_NOT_FOUND',
    context: 'REMOTE_FILE',
    message: 'HTTP 404 Not Found for http://***@h/x',
  },
  // Network errors
  {
    name: 'ECONNRESET',
    make: () => networkError(sys('ECONNRESET'), URL_),
    code: 'NET_CONNECTION_RESET',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'ECONNRESET',
  },
  {
    name: 'EPIPE',
    make: () => networkError(sys('EPIPE'), URL_),
    code: 'NET_CONNECTION_RESET',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'EPIPE',
  },
  {
    name: 'other side closed',
    make: () => networkError(wrapped('UND_ERR_SOCKET', 'other side closed'), URL_),
    code: 'NET_CONNECTION_RESET',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_SOCKET',
  },
  {
    name: 'UND_ERR_CLOSED',
    make: () => networkError(wrapped('UND_ERR_CLOSED', 'closed'), URL_),
    code: 'NET_CONNECTION_RESET',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_CLOSED',
  },
  {
    name: 'ECONNREFUSED in AggregateError',
    make: () =>
      networkError(
        Object.assign(new AggregateError([sys('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' }),
        URL_,
      ),
    code: 'NET_CONNECTION_REFUSED',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'ECONNREFUSED',
  },
  {
    name: 'ETIMEDOUT',
    make: () => networkError(sys('ETIMEDOUT'), URL_),
    code: 'NET_TIMEOUT',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'ETIMEDOUT',
  },
  {
    name: 'connect timeout',
    make: () => networkError(wrapped('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), URL_),
    code: 'NET_TIMEOUT',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_CONNECT_TIMEOUT',
  },
  {
    name: 'headers timeout',
    make: () => networkError(wrapped('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'), URL_),
    code: 'NET_TIMEOUT',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_HEADERS_TIMEOUT',
  },
  {
    name: 'body timeout',
    make: () => networkError(wrapped('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error'), URL_),
    code: 'NET_TIMEOUT',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_BODY_TIMEOUT',
  },
  {
    name: 'ENOTFOUND',
    make: () => networkError(sys('ENOTFOUND'), URL_),
    code: 'NET_DNS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'ENOTFOUND',
  },
  {
    name: 'EAI_AGAIN',
    make: () => networkError(sys('EAI_AGAIN'), URL_),
    code: 'NET_DNS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'EAI_AGAIN',
  },
  {
    name: 'CERT_HAS_EXPIRED',
    make: () => networkError(sys('CERT_HAS_EXPIRED'), URL_),
    code: 'NET_TLS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'CERT_HAS_EXPIRED',
  },
  {
    name: 'ERR_TLS_CERT_ALTNAME_INVALID',
    make: () => networkError(sys('ERR_TLS_CERT_ALTNAME_INVALID'), URL_),
    code: 'NET_TLS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
  },
  {
    name: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    make: () => networkError(sys('DEPTH_ZERO_SELF_SIGNED_CERT'), URL_),
    code: 'NET_TLS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  },
  {
    name: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    make: () => networkError(sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), URL_),
    code: 'NET_TLS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  },
  {
    name: 'SELF_SIGNED_CERT_IN_CHAIN (wrapped)',
    make: () =>
      networkError(wrapped('UND_ERR_SOCKET', 'x', sys('SELF_SIGNED_CERT_IN_CHAIN')), URL_),
    code: 'NET_TLS_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'SELF_SIGNED_CERT_IN_CHAIN',
  },
  {
    name: 'proxy tunnel refused',
    make: () =>
      networkError(
        wrapped('UND_ERR_ABORTED', 'Proxy response (407) !== 200 when HTTP Tunneling'),
        URL_,
      ),
    code: 'NET_PROXY_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_ABORTED',
    httpStatus: 407,
  },
  {
    name: 'proxy unreachable',
    make: () => networkError(sys('ECONNREFUSED'), URL_, { viaProxy: true }),
    code: 'NET_PROXY_FAILURE',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'ECONNREFUSED',
  },
  {
    name: 'undici refused the request',
    make: () => networkError(wrapped('UND_ERR_INVALID_ARG', 'invalid header'), URL_),
    code: 'INPUT_INVALID',
    context: 'GENERAL_TRANSPORT',
    sysCode: 'UND_ERR_INVALID_ARG',
  },
  {
    name: 'unknown',
    make: () => networkError(new Error('odd'), URL_),
    code: 'NET_FAILURE',
    context: 'GENERAL_TRANSPORT',
  },
  {
    name: 'premature close with a length',
    make: () =>
      bodyStreamError(wrapped('UND_ERR_SOCKET', 'other side closed'), URL_, {
        received: 5,
        expected: 10,
      }),
    code: 'HTTP_LENGTH_MISMATCH',
    context: 'GENERAL_TRANSPORT',
    message: `Connection closed after 5 of 10 bytes from ${URL_}`,
  },
  {
    name: 'premature close without a length',
    make: () =>
      bodyStreamError(wrapped('UND_ERR_SOCKET', 'other side closed'), URL_, {
        received: 5,
        expected: null,
      }),
    code: 'NET_CONNECTION_RESET',
    context: 'GENERAL_TRANSPORT',
  },
  // Responses the HTTP parser refuses (final), and what still reads as a short body
  {
    name: 'a head refused after Content-Length (undici calls it a length mismatch)',
    make: () =>
      networkError(
        wrapped(
          'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
          'Response body length does not match content-length header',
        ),
        URL_,
      ),
    code: 'HTTP_MALFORMED_RESPONSE',
    context: 'REMOTE_FILE',
    message: /^The server sent a response head Ferry cannot parse: .*control character/,
  },
  {
    name: 'a head refused by llhttp',
    make: () =>
      networkError(
        wrapped(
          'HPE_INVALID_HEADER_TOKEN',
          'Response does not match the HTTP/1.1 protocol (Invalid header value char)',
        ),
        URL_,
      ),
    code: 'HTTP_MALFORMED_RESPONSE',
    context: 'REMOTE_FILE',
    message: `The server sent a response head Ferry cannot parse: Invalid header value char (${URL_})`,
  },
  {
    name: 'a body whose length is wrong past its head',
    make: () =>
      bodyStreamError(
        wrapped('UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'Response body length does not match'),
        URL_,
        { received: 5, expected: 10 },
      ),
    code: 'HTTP_LENGTH_MISMATCH',
    context: 'GENERAL_TRANSPORT',
  },
  {
    name: 'a body whose framing llhttp refuses',
    make: () =>
      bodyStreamError(
        wrapped('HPE_INVALID_CHUNK_SIZE', 'Response does not match the HTTP/1.1 protocol'),
        URL_,
        { received: 5, expected: null },
      ),
    code: 'HTTP_MALFORMED_RESPONSE',
    context: 'REMOTE_FILE',
    message: /^The server sent a response body Ferry cannot parse: HPE_INVALID_CHUNK_SIZE/,
  },
  // Local (temporary) file
  {
    name: 'ENOSPC',
    make: () => localFileError(sys('ENOSPC'), '/t/a.tmp'),
    code: 'DISK_FULL',
    context: 'LOCAL_FILE',
    sysCode: 'ENOSPC',
    message: 'Disk full writing /t/a.tmp (ENOSPC)',
  },
  {
    name: 'EDQUOT',
    make: () => localFileError(sys('EDQUOT'), '/t/a.tmp'),
    code: 'DISK_FULL',
    context: 'LOCAL_FILE',
    sysCode: 'EDQUOT',
  },
  {
    name: 'EACCES',
    make: () => localFileError(sys('EACCES'), '/t/a.tmp'),
    code: 'DISK_ACCESS_DENIED',
    context: 'LOCAL_FILE',
    sysCode: 'EACCES',
  },
  {
    name: 'EPERM',
    make: () => localFileError(sys('EPERM'), '/t/a.tmp'),
    code: 'DISK_ACCESS_DENIED',
    context: 'LOCAL_FILE',
    sysCode: 'EPERM',
  },
  {
    name: 'EROFS',
    make: () => localFileError(sys('EROFS'), '/t/a.tmp'),
    code: 'DISK_ACCESS_DENIED',
    context: 'LOCAL_FILE',
    sysCode: 'EROFS',
  },
  {
    name: 'ENOENT',
    make: () => localFileError(sys('ENOENT'), '/t/a.tmp'),
    code: 'DISK_PATH_INVALID',
    context: 'LOCAL_FILE',
    sysCode: 'ENOENT',
  },
  {
    name: 'ENOTDIR',
    make: () => localFileError(sys('ENOTDIR'), '/t/a.tmp'),
    code: 'DISK_PATH_INVALID',
    context: 'LOCAL_FILE',
    sysCode: 'ENOTDIR',
  },
  {
    name: 'EISDIR',
    make: () => localFileError(sys('EISDIR'), '/t/a.tmp'),
    code: 'DISK_PATH_INVALID',
    context: 'LOCAL_FILE',
    sysCode: 'EISDIR',
  },
  {
    name: 'ENAMETOOLONG',
    make: () => localFileError(sys('ENAMETOOLONG'), '/t/a.tmp'),
    code: 'DISK_PATH_INVALID',
    context: 'LOCAL_FILE',
    sysCode: 'ENAMETOOLONG',
  },
  {
    name: 'EINVAL',
    make: () => localFileError(sys('EINVAL'), '/t/a.tmp'),
    code: 'DISK_PATH_INVALID',
    context: 'LOCAL_FILE',
    sysCode: 'EINVAL',
  },
  {
    name: 'EIO',
    make: () => localFileError(sys('EIO'), '/t/a.tmp'),
    code: 'DISK_IO_ERROR',
    context: 'LOCAL_FILE',
    sysCode: 'EIO',
  },
  {
    name: 'EBUSY',
    make: () => localFileError(sys('EBUSY'), '/t/a.tmp'),
    code: 'DISK_IO_ERROR',
    context: 'LOCAL_FILE',
    sysCode: 'EBUSY',
  },
  // file: sources
  {
    name: 'source ENOENT',
    make: () => sourceFileError(sys('ENOENT'), '/s/a'),
    code: 'FILE_SOURCE_NOT_FOUND',
    context: 'REMOTE_FILE',
    sysCode: 'ENOENT',
    message: 'Source file not found: /s/a (ENOENT)',
  },
  {
    name: 'source EACCES',
    make: () => sourceFileError(sys('EACCES'), '/s/a'),
    code: 'FILE_SOURCE_ACCESS_DENIED',
    context: 'REMOTE_FILE',
    sysCode: 'EACCES',
  },
  {
    name: 'source EPERM',
    make: () => sourceFileError(sys('EPERM'), '/s/a'),
    code: 'FILE_SOURCE_ACCESS_DENIED',
    context: 'REMOTE_FILE',
    sysCode: 'EPERM',
  },
  {
    name: 'source EIO',
    make: () => sourceFileError(sys('EIO'), '/s/a'),
    code: 'DISK_IO_ERROR',
    context: 'REMOTE_FILE',
    sysCode: 'EIO',
  },
  {
    name: 'source EISDIR (a folder where the source was)',
    make: () => sourceFileError(sys('EISDIR'), '/s/a'),
    code: 'FILE_SOURCE_NOT_A_FILE',
    context: 'REMOTE_FILE',
    sysCode: 'EISDIR',
    message: 'The source is a folder, not a file: /s/a',
  },
];

describe('map-error', () => {
  it('maps every status, system code and Retry-After form', () => {
    for (const row of rows) {
      const error = row.make();
      const label = `${row.name}: ${error.message}`;
      assert.equal(error.name, 'FerryError', label);
      assert.equal(error.code, row.code, label);
      assert.equal(error.context, row.context, label);
      if (row.httpStatus !== undefined) assert.equal(error.httpStatus, row.httpStatus, label);
      if (row.sysCode !== undefined) assert.equal(error.sysCode, row.sysCode, label);
      if (row.retryAfter !== undefined) assert.equal(error.retryAfter, row.retryAfter, label);
      if (typeof row.message === 'string') assert.equal(error.message, row.message, label);
      if (row.message instanceof RegExp) assert.match(error.message, row.message, label);
    }
    // An HTTP-date Retry-After is measured from now: 120 s ahead, give or take a second.
    const dated = httpStatusError(503, URL_, future).retryAfter ?? -1;
    assert.ok(dated >= 118 && dated <= 121, `retryAfter ${dated}`);
    const now = Date.parse('Wed, 01 Jan 2025 00:00:00 GMT');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:01:30 GMT', now), 90);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('  45 ', now), 45);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(httpStatusError(503, URL_, 'soon').retryAfter, undefined);
  });
});
