import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { badContentRangeError, invalidUrlError, redirectError } from '../map-error.js';
import { proxyRefusalError, requestError, responseStatusError } from '../connection-errors.js';
import {
  headerValue,
  ifRangeValue,
  mergeValidator,
  parseContentLength,
  parseContentRange,
  parseUnsatisfiedRange,
  responseValidator,
  validatorsConflict,
} from './range.js';
import type { ConnectionLease, FileTransferRequest, RemoteValidator } from '../types.js';
import { addAuthHeaders, answerChallenge } from '../auth/authenticator.js';
import { announcedDigest } from '../../validation/digest-headers.js';
import type { ExpectedDigest } from '../../../../app/model/validation.js';

/** A response body as undici returns it. */
export type ResponseBody = Dispatcher.ResponseData['body'];

/**
 * The response a transfer will write, after redirects and resume negotiation.
 *
 * `body` starts at `offset` (the request's offset for a resume, 0 for a full body); `end` is
 * the offset the body should reach, null when the server announced no length.
 */
export interface AcceptedBody {
  readonly kind: 'body';
  readonly body: ResponseBody;
  readonly url: URL;
  readonly offset: number;
  readonly totalBytes: number | null;
  readonly end: number | null;
  readonly validator: RemoteValidator;
  readonly viaProxy: boolean;
  /** The response's Content-Disposition header, or null. */
  readonly contentDisposition: string | null;
  /** The connection the body arrives on; the reader gives it back (see `finishBody`). */
  readonly lease: ConnectionLease;
  /** The whole file's digest, when the response announces one (RFC 9530). */
  readonly announcedDigest?: ExpectedDigest | null;
}

/** The server says the recorded bytes already are the whole file (416 at the known size). */
export interface AlreadyComplete {
  readonly kind: 'complete';
  readonly url: URL;
  readonly totalBytes: number;
  readonly validator: RemoteValidator;
}

/** What `openHttpResponse` settles on. */
export type OpenedResponse = AcceptedBody | AlreadyComplete;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Challenges answered for one request: a first one, a stale nonce, one more stale nonce. */
const MAX_AUTH_ROUNDS = 3;

/** Custom headers the transfer sets itself, or that undici refuses or handles itself. */
const RESERVED_HEADERS = new Set([
  'range',
  'if-range',
  'accept-encoding',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'expect',
  'te',
  'proxy-authorization',
]);

/** Credentials that must not follow a redirect to another origin (as browsers and undici do). */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);

/** Outcome of looking at one final (non-redirect) response. */
type Verdict = OpenedResponse | { readonly kind: 'restart' };

/**
 * Sends the GET for a transfer, following redirects and negotiating the resume.
 *
 * `resumeFrom` > 0 sends `Range: bytes=<resumeFrom>-` with `If-Range` (strong ETag, else
 * Last-Modified). A 206 is accepted only when its Content-Range starts at `resumeFrom`, its
 * total matches the recorded size and its validator the recorded one; a 200 is a full body
 * (the server ignored the range, or If-Range failed); a 416 at the recorded size means the
 * file is complete. Any other partial answer is retried once as a plain GET from zero. Each
 * hop asks `connectionFor` again, so proxy rules apply per URL. Error statuses throw. Every
 * connection but the accepted body's is given back before this returns.
 */
export async function openHttpResponse(
  req: FileTransferRequest,
  resumeFrom: number,
): Promise<OpenedResponse> {
  let url = parseRemoteUrl(req.remoteUrl);
  const startOrigin = url.origin;
  const seen = new Set([url.href]);
  let redirects = 0;
  let from = resumeFrom;
  // The job's server credentials answer challenges of the host its URL names, nowhere else.
  const trustedHost = url.hostname;
  let authRounds = 0;
  for (;;) {
    const lease = req.connectionFor(url);
    const viaProxy = lease.viaProxy;
    const headers = requestHeaders(req, from, url.origin === startOrigin);
    const sent = addAuthHeaders(
      headers,
      req.auth,
      url,
      trustedHost,
      viaProxy && url.protocol === 'http:',
    );
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET',
        headers,
        dispatcher: lease.dispatcher,
        signal: req.signal,
        headersTimeout: req.limits.headersTimeoutMs,
        bodyTimeout: req.limits.bodyIdleTimeoutMs,
        highWaterMark: 1024 * 1024,
      });
    } catch (error) {
      lease.release(false);
      if (req.signal.aborted) throw req.signal.reason;
      throw requestError(error, url, lease);
    }

    const status = res.statusCode;
    if (REDIRECT_STATUSES.has(status)) {
      lease.release(await discard(res.body));
      const next = redirectTarget(url, status, headerValue(res.headers, 'location'));
      if (seen.has(next.href)) {
        throw redirectError('loop', url, status, `${next.href} was already visited`);
      }
      redirects += 1;
      if (redirects > req.limits.maxRedirects) {
        throw redirectError('too-many', url, status, `more than ${req.limits.maxRedirects}`);
      }
      seen.add(next.href);
      url = next;
      continue;
    }

    if (status === 407 && lease.proxy?.credentials === true) {
      // The proxy address's own user name and password were refused: the user must fix the
      // address, the job's credentials have no say.
      lease.release(await discard(res.body));
      throw proxyRefusalError(status, url, lease.proxy);
    }
    if ((status === 401 || status === 407) && authRounds < MAX_AUTH_ROUNDS) {
      // A challenge: answered with the job's credentials and sent again, or an error that
      // says which credentials are missing or were rejected.
      let again: boolean;
      try {
        again = answerChallenge(req.auth, status, url, res.headers, sent, trustedHost);
      } finally {
        lease.release(await discard(res.body));
      }
      if (again) {
        authRounds += 1;
        continue;
      }
    }

    let verdict: Verdict;
    try {
      verdict = judge(req, res, url, from, viaProxy, lease);
    } catch (error) {
      lease.release(await discard(res.body));
      throw error;
    }
    if (verdict.kind === 'restart') {
      lease.release(await discard(res.body));
      from = 0;
      continue;
    }
    if (verdict.kind === 'complete') {
      lease.release(await discard(res.body));
      return verdict;
    }
    return { ...verdict, announcedDigest: announcedDigest(res.headers, status) };
  }
}

/** Decides what a final response means for a request sent with `Range` from `from` (0: none). */
function judge(
  req: FileTransferRequest,
  res: Dispatcher.ResponseData,
  url: URL,
  from: number,
  viaProxy: boolean,
  lease: ConnectionLease,
): Verdict {
  const { statusCode: status, headers, body } = res;
  const validator = responseValidator(headers);
  const contentDisposition = headerValue(headers, 'content-disposition') ?? null;
  if (status === 200) {
    const length = parseContentLength(headerValue(headers, 'content-length'));
    return {
      kind: 'body',
      body,
      url,
      offset: 0,
      totalBytes: length,
      end: length,
      validator,
      viaProxy,
      contentDisposition,
      lease,
    };
  }
  if (status === 206) {
    const rangeHeader = headerValue(headers, 'content-range');
    const range = parseContentRange(rangeHeader);
    const reachesEnd = range !== null && (range.total === null || range.end + 1 === range.total);
    if (from > 0) {
      const resumable =
        range !== null &&
        reachesEnd &&
        range.start === from &&
        range.total === (req.totalBytes ?? range.total) &&
        !validatorsConflict(req.validator, validator);
      if (!resumable) return { kind: 'restart' };
      return {
        kind: 'body',
        body,
        url,
        offset: from,
        totalBytes: range.total,
        end: range.end + 1,
        validator: mergeValidator(req.validator, validator),
        viaProxy,
        contentDisposition,
        lease,
      };
    }
    // A partial answer to a plain GET is usable only when it is in fact the whole file.
    if (range === null || !reachesEnd || range.start !== 0) {
      throw badContentRangeError(rangeHeader, url);
    }
    return {
      kind: 'body',
      body,
      url,
      offset: 0,
      totalBytes: range.total,
      end: range.end + 1,
      validator,
      viaProxy,
      contentDisposition,
      lease,
    };
  }
  if (status === 416 && from > 0) {
    const total = parseUnsatisfiedRange(headerValue(headers, 'content-range'));
    // "Nothing left to send" only means complete if it is still the same file.
    const complete =
      req.totalBytes !== null &&
      from === req.totalBytes &&
      (total ?? from) === from &&
      !validatorsConflict(req.validator, validator);
    if (!complete) return { kind: 'restart' };
    return {
      kind: 'complete',
      url,
      totalBytes: from,
      validator: mergeValidator(req.validator, validator),
    };
  }
  throw responseStatusError(status, url, headers, lease);
}

/** The request's URL, or an INPUT_INVALID_URL error. */
function parseRemoteUrl(remoteUrl: string): URL {
  try {
    return new URL(remoteUrl);
  } catch (error) {
    throw invalidUrlError(remoteUrl, error);
  }
}

/** Where a redirect points, resolved against the current URL; only http(s) is followed. */
export function redirectTarget(url: URL, status: number, location: string | undefined): URL {
  if (location === undefined || location.trim() === '') {
    throw redirectError('bad', url, status, 'no Location header');
  }
  let next: URL;
  try {
    next = new URL(location, url);
  } catch (error) {
    throw redirectError('bad', url, status, `invalid Location '${location}'`, error);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw redirectError('bad', url, status, `redirect to unsupported scheme ${next.protocol}`);
  }
  next.hash = '';
  return next;
}

/**
 * Request headers as undici's flat name/value list (keeps repeated custom headers).
 *
 * A range is asked from `from` (when > 0, or when `end` is given) to `end` (exclusive; null:
 * to the end of the file), with If-Range when a validator is recorded.
 *
 * The job's custom lines come first; the transfer's own range and encoding headers cannot be
 * overridden by them, `User-Agent` can. `Accept-Encoding: identity` keeps the bytes as stored,
 * so offsets and sizes mean the same on every request.
 */
export function requestHeaders(
  req: Pick<FileTransferRequest, 'headers' | 'userAgent' | 'validator'>,
  from: number,
  sameOrigin: boolean,
  end: number | null = null,
): string[] {
  const out: string[] = [];
  let customAgent = false;
  for (const line of req.headers) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const lower = name.toLowerCase();
    if (name === '' || RESERVED_HEADERS.has(lower)) continue;
    if (!sameOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
    if (lower === 'user-agent') customAgent = true;
    out.push(name, line.slice(colon + 1).trim());
  }
  if (!customAgent) out.push('user-agent', req.userAgent);
  out.push('accept-encoding', 'identity');
  if (from > 0 || end !== null) {
    out.push('range', `bytes=${from}-${end === null ? '' : String(end - 1)}`);
    const ifRange = ifRangeValue(req.validator);
    if (ifRange !== null) out.push('if-range', ifRange);
  }
  return out;
}

/**
 * Reads away a small body so the connection can be reused, else drops it; whether the body
 * was read to its end (the connection is reusable).
 */
export async function discard(body: ResponseBody): Promise<boolean> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
  return body.readableEnded && !body.errored;
}

/**
 * Done with an accepted body: its connection goes back for reuse when the body was read to
 * the end; otherwise the connection is closed (before the body, so undici opens no new
 * socket for the cut response).
 */
export function finishBody(opened: Pick<AcceptedBody, 'body' | 'lease'>): void {
  const complete = opened.body.readableEnded && !opened.body.errored;
  opened.lease.release(complete);
  if (!opened.body.destroyed) opened.body.destroy();
}
