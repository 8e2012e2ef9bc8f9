import { STATUS_CODES } from 'node:http';
import { FerryError } from '../../../app/index.js';
import type { FerryErrorCode } from '../../../app/index.js';
import {
  displayUrl,
  errorChain,
  firstCode,
  innermostMessage,
  readableDetail,
} from '../error-chain.js';
import type { ErrorLike } from '../error-chain.js';
import { parseRetryAfter } from './retry-after.js';
import type { HeaderValue } from './retry-after.js';

export { displayUrl } from '../error-chain.js';
export { parseRetryAfter } from './retry-after.js';

/**
 * The one place where transfer failures become FerryErrors.
 *
 * HTTP statuses, undici and Node network errors and fs errors are mapped here so that the
 * engine's retry policy only ever sees Ferry codes (undici's and got's practice: callers match
 * on a stable `code`, never on messages or classes). Messages read well alone and name the URL
 * or path; the original error is kept as the non-enumerable `cause`.
 */

/**
 * The error for a final HTTP response that is not a success.
 *
 * 4xx say something about the remote file (REMOTE_FILE); 408, 429 and 5xx about the transport
 * (GENERAL_TRANSPORT), which is what makes the engine retry them. `Retry-After` is parsed into
 * `retryAfter` seconds.
 */
export function httpStatusError(
  status: number,
  url: string | URL,
  retryAfterHeader?: HeaderValue,
): FerryError {
  const code = statusCode(status);
  const transport = code === 'HTTP_REQUEST_TIMEOUT' || code === 'HTTP_TOO_MANY_REQUESTS';
  const context = transport || code === 'HTTP_SERVER_ERROR' ? 'GENERAL_TRANSPORT' : 'REMOTE_FILE';
  const reason = STATUS_CODES[status];
  const label = reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}`;
  const retryAfter = parseRetryAfter(retryAfterHeader);
  const message =
    code === 'HTTP_UNEXPECTED_STATUS'
      ? `Unexpected ${label} for ${displayUrl(url)}`
      : `${label} for ${displayUrl(url)}`;
  return new FerryError(code, context, message, {
    httpStatus: status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}

function statusCode(status: number): FerryErrorCode {
  if (status === 404 || status === 410) return 'HTTP_NOT_FOUND';
  if (status === 401 || status === 403 || status === 407) return 'HTTP_ACCESS_DENIED';
  if (status === 408) return 'HTTP_REQUEST_TIMEOUT';
  if (status === 429) return 'HTTP_TOO_MANY_REQUESTS';
  if (status >= 500 && status <= 599) return 'HTTP_SERVER_ERROR';
  if (status >= 400 && status <= 499) return 'HTTP_CLIENT_ERROR';
  return 'HTTP_UNEXPECTED_STATUS';
}

/** Node/undici codes that mean the connection was closed or reset under us. */
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
  'UND_ERR_PRX_TLS',
]);

function isTlsCode(code: string): boolean {
  return (
    TLS_CODES.has(code) ||
    code.startsWith('CERT_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_')
  );
}

/** What a network failure is, with the code that decided it. */
interface NetworkVerdict {
  readonly code: FerryErrorCode;
  readonly sysCode: string | undefined;
  readonly httpStatus?: number;
  readonly what: string;
}

/** Options of `networkError`. */
export interface NetworkErrorOptions {
  /**
   * The request went through a proxy: failing to reach the proxy (refused, DNS, connect
   * timeout) is then a proxy failure, since every connection goes to the proxy first.
   */
  readonly viaProxy?: boolean;
}

/**
 * The error for a failed connection or body stream (undici or Node), context GENERAL_TRANSPORT.
 *
 * Looks through `cause` chains and AggregateErrors (undici and Node's happy eyeballs wrap the
 * socket error) and keeps the deciding code as `sysCode`. A FerryError passes through unchanged.
 * A request undici refuses to send (invalid custom header) is INPUT_INVALID, which is final:
 * retrying the same headers cannot succeed.
 */
export function networkError(
  err: unknown,
  url: string | URL,
  options: NetworkErrorOptions = {},
): FerryError {
  if (err instanceof FerryError) return err;
  const chain = errorChain(err);
  const unparseable = parserProblem(chain);
  if (unparseable !== undefined) return malformedResponseError('head', url, unparseable, err);
  const verdict = classifyNetwork(chain, options.viaProxy === true);
  const detail = innermostMessage(err);
  const suffix = verdict.sysCode === undefined ? '' : ` (${verdict.sysCode})`;
  const message = `${verdict.what} for ${displayUrl(url)}${suffix}${detail === '' ? '' : `: ${detail}`}`;
  return new FerryError(verdict.code, 'GENERAL_TRANSPORT', message, {
    cause: err,
    ...(verdict.sysCode === undefined ? {} : { sysCode: verdict.sysCode }),
    ...(verdict.httpStatus === undefined ? {} : { httpStatus: verdict.httpStatus }),
  });
}

/** What llhttp said of a response it refused, from undici's HTTPParserError message. */
const PARSER_MESSAGE = /^Response does not match the HTTP\/1\.1 protocol(?: \((.*)\))?/;

/**
 * Why undici's HTTP parser refused a response, or undefined when it did not.
 *
 * undici reports a parse error as HTTPParserError (code `HPE_*`, or none), except once a
 * Content-Length header has been read: then any parse error of the rest of the head (a control
 * byte in a later header value, say a Content-Disposition name) comes out as
 * UND_ERR_RES_CONTENT_LENGTH_MISMATCH, before a single header is delivered. That code is
 * therefore only read this way where the head is being waited for (`networkError` from the
 * request); a body that really ends short is judged by `bodyStreamError` first.
 */
function parserProblem(chain: readonly ErrorLike[]): string | undefined {
  for (const e of chain) {
    const said = PARSER_MESSAGE.exec(e.message ?? '');
    if (said !== null || e.code?.startsWith('HPE_') === true) {
      return readableDetail(said?.[1] ?? e.code ?? 'not HTTP/1.1');
    }
    if (e.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return 'a header the HTTP parser refuses, such as a control character in a header value';
    }
  }
  return undefined;
}

/**
 * The error for a response Ferry cannot parse (a malformed status line or header, or a body
 * whose framing is broken), context REMOTE_FILE: asking again gets the same answer, so it is
 * final, like any other unusable answer from the server.
 */
export function malformedResponseError(
  part: 'head' | 'body',
  url: string | URL,
  reason: string,
  cause?: unknown,
): FerryError {
  return new FerryError(
    'HTTP_MALFORMED_RESPONSE',
    'REMOTE_FILE',
    `The server sent a response ${part} Ferry cannot parse: ${reason} (${displayUrl(url)})`,
    cause === undefined ? {} : { cause },
  );
}

function classifyNetwork(chain: readonly ErrorLike[], viaProxy: boolean): NetworkVerdict {
  const codes = chain.map((e) => e.code).filter((c): c is string => c !== undefined);
  const find = (test: (code: string) => boolean): string | undefined => codes.find(test);

  const invalid = find((c) => c === 'UND_ERR_INVALID_ARG' || c === 'UND_ERR_NOT_SUPPORTED');
  if (invalid !== undefined) {
    return { code: 'INPUT_INVALID', sysCode: invalid, what: 'Request refused by the HTTP client' };
  }

  const tls = find(isTlsCode);
  if (tls !== undefined) return { code: 'NET_TLS_FAILURE', sysCode: tls, what: 'TLS failure' };

  const proxyStatus = chain
    .map((e) => /Proxy response \((\d{3})\)/.exec(e.message ?? '')?.[1])
    .find((s) => s !== undefined);
  if (proxyStatus !== undefined) {
    return {
      code: 'NET_PROXY_FAILURE',
      sysCode: find((c) => c.startsWith('UND_ERR')) ?? codes[0],
      httpStatus: Number(proxyStatus),
      what: `Proxy refused the tunnel with HTTP ${proxyStatus}`,
    };
  }

  const dns = find((c) => DNS_CODES.has(c));
  const refused = find((c) => c === 'ECONNREFUSED');
  const connectTimeout = find((c) => c === 'UND_ERR_CONNECT_TIMEOUT');
  if (viaProxy) {
    const unreachable = dns ?? refused ?? connectTimeout;
    if (unreachable !== undefined) {
      return { code: 'NET_PROXY_FAILURE', sysCode: unreachable, what: 'Proxy unreachable' };
    }
  }
  if (dns !== undefined)
    return { code: 'NET_DNS_FAILURE', sysCode: dns, what: 'Host name not found' };
  if (refused !== undefined) {
    return { code: 'NET_CONNECTION_REFUSED', sysCode: refused, what: 'Connection refused' };
  }
  const timeout = find((c) => TIMEOUT_CODES.has(c));
  if (timeout !== undefined)
    return { code: 'NET_TIMEOUT', sysCode: timeout, what: timeoutWhat(timeout) };

  const reset = find((c) => RESET_CODES.has(c));
  const closed = chain.some((e) => /other side closed/i.test(e.message ?? ''));
  if (reset !== undefined || closed) {
    return { code: 'NET_CONNECTION_RESET', sysCode: reset ?? codes[0], what: 'Connection reset' };
  }
  return { code: 'NET_FAILURE', sysCode: codes[0], what: 'Network failure' };
}

function timeoutWhat(code: string): string {
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'Connect timed out';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'No response headers in time';
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'No data received in time';
  return 'Timed out';
}

/**
 * The error for a failure writing the local (temporary) file, context LOCAL_FILE.
 *
 * Full disks and quotas are DISK_FULL, permissions and read-only mounts DISK_ACCESS_DENIED,
 * bad paths DISK_PATH_INVALID, anything else DISK_IO_ERROR. A FerryError passes through.
 */
export function localFileError(err: unknown, path: string): FerryError {
  if (err instanceof FerryError) return err;
  const sysCode = firstCode(err);
  const [code, what] = localVerdict(sysCode);
  return fsError(code, 'LOCAL_FILE', `${what} ${path}`, err, sysCode);
}

function localVerdict(sysCode: string | undefined): [FerryErrorCode, string] {
  switch (sysCode) {
    case 'ENOSPC':
    case 'EDQUOT':
      return ['DISK_FULL', 'Disk full writing'];
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return ['DISK_ACCESS_DENIED', 'Access denied writing'];
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR':
    case 'ENAMETOOLONG':
    case 'EINVAL':
      return ['DISK_PATH_INVALID', 'Invalid local path'];
    default:
      return ['DISK_IO_ERROR', 'I/O error writing'];
  }
}

/**
 * The error for a failure reading a `file:` source, context REMOTE_FILE.
 *
 * The source plays the remote file's part (BITS copies from local and UNC paths), so its
 * problems are remote-file problems, not local-disk ones.
 */
export function sourceFileError(err: unknown, path: string): FerryError {
  if (err instanceof FerryError) return err;
  const sysCode = firstCode(err);
  if (sysCode === 'ENOENT') {
    return fsError(
      'FILE_SOURCE_NOT_FOUND',
      'REMOTE_FILE',
      `Source file not found: ${path}`,
      err,
      sysCode,
    );
  }
  if (sysCode === 'EISDIR') return sourceNotAFileError(path, 'folder', err);
  if (sysCode === 'EACCES' || sysCode === 'EPERM') {
    return fsError(
      'FILE_SOURCE_ACCESS_DENIED',
      'REMOTE_FILE',
      `Access denied reading ${path}`,
      err,
      sysCode,
    );
  }
  return fsError('DISK_IO_ERROR', 'REMOTE_FILE', `I/O error reading ${path}`, err, sysCode);
}

/** What a `file:` source that is not a regular file turned out to be. */
export type SourceKind = 'folder' | 'device' | 'pipe' | 'socket' | 'special file';

/**
 * A `file:` source that is not a regular file (a folder, `/dev/zero`, a pipe), context
 * REMOTE_FILE and final: such names are refused when added (INPUT_INVALID_URL), so this is a
 * source that became one since, and asking again reads the same thing.
 */
export function sourceNotAFileError(path: string, kind: SourceKind, cause?: unknown): FerryError {
  return new FerryError(
    'FILE_SOURCE_NOT_A_FILE',
    'REMOTE_FILE',
    `The source is a ${kind}, not a file: ${path}`,
    cause === undefined ? {} : { cause, sysCode: firstCode(cause) ?? 'EISDIR' },
  );
}

function fsError(
  code: FerryErrorCode,
  context: 'LOCAL_FILE' | 'REMOTE_FILE',
  text: string,
  err: unknown,
  sysCode: string | undefined,
): FerryError {
  return new FerryError(code, context, sysCode === undefined ? text : `${text} (${sysCode})`, {
    cause: err,
    ...(sysCode === undefined ? {} : { sysCode }),
  });
}

/**
 * The error for a body that ended before its announced length, context GENERAL_TRANSPORT.
 *
 * A connection closed mid-body is the usual cause; like a reset it is transient, and the bytes
 * that did arrive are kept for the resume.
 */
export function lengthMismatchError(
  received: number,
  expected: number,
  url: string | URL,
  cause?: unknown,
): FerryError {
  return new FerryError(
    'HTTP_LENGTH_MISMATCH',
    'GENERAL_TRANSPORT',
    `Connection closed after ${received} of ${expected} bytes from ${displayUrl(url)}`,
    cause === undefined ? {} : { cause },
  );
}

/** Where a body stream stood when it failed. */
export interface BodyProgress {
  /** Bytes of the response body received before the failure. */
  readonly received: number;
  /** Bytes the response announced (Content-Length or Content-Range), null when unknown. */
  readonly expected: number | null;
  readonly viaProxy?: boolean;
}

/**
 * The error for a response body that failed mid-stream.
 *
 * A connection closed (FIN) before the announced length is HTTP_LENGTH_MISMATCH, the same
 * verdict as a body that ends short without an error; resets, timeouts and the like go through
 * `networkError`.
 */
export function bodyStreamError(
  err: unknown,
  url: string | URL,
  progress: BodyProgress,
): FerryError {
  if (err instanceof FerryError) return err;
  const { received, expected } = progress;
  const chain = errorChain(err);
  const mismatch = chain.some((e) => e.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH');
  if (expected !== null && received < expected) {
    const closed = chain.some(
      (e) => e.code === 'UND_ERR_SOCKET' && /other side closed/i.test(e.message ?? ''),
    );
    if (closed || mismatch) return lengthMismatchError(received, expected, url, err);
  }
  // Past the head, undici's length mismatch is about the body's length, never its parse.
  if (mismatch) return lengthMismatchError(received, expected ?? received, url, err);
  const unparseable = parserProblem(chain);
  if (unparseable !== undefined) return malformedResponseError('body', url, unparseable, err);
  return networkError(err, url, progress.viaProxy === true ? { viaProxy: true } : {});
}

/** The error for a 206 response whose Content-Range cannot be used, even on a fresh request. */
export function badContentRangeError(value: string | undefined, url: string | URL): FerryError {
  const shown = value === undefined ? 'no Content-Range' : `Content-Range '${value}'`;
  return new FerryError(
    'HTTP_BAD_CONTENT_RANGE',
    'GENERAL_TRANSPORT',
    `Unusable partial response (${shown}) from ${displayUrl(url)}`,
    { httpStatus: 206 },
  );
}

/** Why a redirect was refused. */
export type RedirectProblem = 'too-many' | 'loop' | 'bad';

/**
 * The error for a refused redirect, context REMOTE_FILE (the server's answer is unusable).
 *
 * `detail` says what was wrong, e.g. the Location or the hop limit.
 */
export function redirectError(
  problem: RedirectProblem,
  url: string | URL,
  status: number,
  detail: string,
  cause?: unknown,
): FerryError {
  const [code, what]: [FerryErrorCode, string] =
    problem === 'too-many'
      ? ['HTTP_TOO_MANY_REDIRECTS', 'Too many redirects']
      : problem === 'loop'
        ? ['HTTP_REDIRECT_LOOP', 'Redirect loop']
        : ['HTTP_BAD_REDIRECT', 'Bad redirect'];
  return new FerryError(code, 'REMOTE_FILE', `${what} at ${displayUrl(url)}: ${detail}`, {
    httpStatus: status,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The error for a remote name that is not a URL, context REMOTE_FILE. */
export function invalidUrlError(url: string, cause?: unknown): FerryError {
  return new FerryError(
    'INPUT_INVALID_URL',
    'REMOTE_FILE',
    `Not a valid URL: ${url}`,
    cause === undefined ? {} : { cause },
  );
}

/** The error for a URL whose scheme Ferry cannot transfer (only http, https and file). */
export function unsupportedSchemeError(url: URL): FerryError {
  return new FerryError(
    'INPUT_UNSUPPORTED_SCHEME',
    'REMOTE_FILE',
    `Unsupported URL scheme '${url.protocol}' in ${displayUrl(url)}`,
  );
}

/**
 * The remote file is not the one recorded: a different size or validator in a ranged answer,
 * or a server that stopped honouring ranges. The transfer starts the file over once.
 */
export function sourceChangedError(url: URL, what: string): FerryError {
  return new FerryError(
    'FILE_SOURCE_CHANGED',
    'REMOTE_FILE',
    `The remote file changed during the transfer (${what}): ${url.href}`,
  );
}

/** A local source (`file:`) that changed or shrank while it was copied. */
export function sourceFileChangedError(path: string, what: 'changed' | 'shrank'): FerryError {
  return new FerryError(
    'FILE_SOURCE_CHANGED',
    'REMOTE_FILE',
    `Source file ${what} during the copy: ${path}`,
  );
}

/** A connection of a segmented file that received nothing for the stall timeout. */
export function stallError(url: URL, ms: number): FerryError {
  return new FerryError(
    'NET_TIMEOUT',
    'GENERAL_TRANSPORT',
    `No data for ${Math.round(ms / 1000)} s on one connection to ${url.host}`,
  );
}

/**
 * No byte of the file arrived on any connection for the body idle timeout: the same rule, and
 * the same transient error, as a single connection's idle body.
 */
export function noProgressError(url: URL, ms: number): FerryError {
  return new FerryError(
    'NET_TIMEOUT',
    'GENERAL_TRANSPORT',
    `No data for ${Math.round(ms / 1000)} s from ${url.host} on any connection`,
  );
}

/** The engine's connections are closed (it is shutting down). */
export function poolClosedError(): FerryError {
  return new FerryError('ENGINE_CLOSED', 'GENERAL_TRANSPORT', 'The connection pool is closed');
}

/** A job's proxy setting that cannot be used: unparsable, another scheme, or none applies. */
export function proxySettingError(message: string, cause?: unknown): FerryError {
  return new FerryError('INPUT_INVALID', 'GENERAL_TRANSPORT', message, { cause });
}

/** A broken promise inside the transfer layer itself: a bug, reported as INTERNAL. */
export function transferBugError(what: string, cause?: unknown): FerryError {
  return new FerryError('INTERNAL', 'UNKNOWN', what, { cause });
}
