import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { discard, requestHeaders } from '../http/http-open.js';
import type { ResponseBody } from '../http/http-open.js';
import { badContentRangeError, sourceChangedError } from '../map-error.js';
import { requestError, responseStatusError } from '../connection-errors.js';
import {
  headerValue,
  parseContentLength,
  parseContentRange,
  responseValidator,
  validatorsConflict,
} from '../http/range.js';
import type { ConnectionLease, FileTransferRequest, RemoteValidator } from '../types.js';
import { addAuthHeaders, answerChallenge } from '../auth/authenticator.js';

/** What a ranged request for one segment got. */
export type SegmentResponse =
  /** The range asked for, from the same file. */
  | { readonly kind: 'range'; readonly body: ResponseBody; readonly viaProxy: boolean }
  /** A full body: the server ignores ranges, or If-Range found a different file. */
  | {
      readonly kind: 'full';
      readonly body: ResponseBody;
      readonly totalBytes: number | null;
      readonly validator: RemoteValidator;
      readonly viaProxy: boolean;
    };

/** What the file is known to be: its size and validator when the transfer started. */
export interface KnownFile {
  readonly url: URL;
  /** Whether `url` has the origin the job named (credentials are only sent there). */
  readonly sameOrigin: boolean;
  readonly totalBytes: number;
  readonly validator: RemoteValidator | null;
}

/**
 * Sends `GET` with `Range: bytes=start-(end-1)` (and If-Range) for one segment.
 *
 * A 206 must carry exactly that range of a file of the known size and validator, else the file
 * changed (FILE_SOURCE_CHANGED). A 200 is a full body and left to the caller. Other statuses
 * throw as in any transfer (429 and 503 are HTTP errors the caller treats as "back off").
 */
export async function openSegment(
  req: FileTransferRequest,
  file: KnownFile,
  start: number,
  end: number,
  signal: AbortSignal,
  lease: ConnectionLease,
): Promise<SegmentResponse> {
  const { dispatcher, viaProxy } = lease;
  let res: Dispatcher.ResponseData;
  // The first response of the file answered the origin's challenge: segments send the answer
  // at once, and only a stale nonce (or a server that forgot it) costs another round.
  for (let authRounds = 0; ; authRounds++) {
    const headers = requestHeaders(
      { headers: req.headers, userAgent: req.userAgent, validator: file.validator },
      start,
      file.sameOrigin,
      end,
    );
    const trustedHost = new URL(req.remoteUrl).hostname;
    const forwarded = viaProxy && file.url.protocol === 'http:';
    const sent = addAuthHeaders(headers, req.auth, file.url, trustedHost, forwarded);
    try {
      res = await request(file.url, {
        method: 'GET',
        headers,
        dispatcher,
        signal,
        headersTimeout: req.limits.headersTimeoutMs,
        bodyTimeout: req.limits.bodyIdleTimeoutMs,
        highWaterMark: 1024 * 1024,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw requestError(error, file.url, lease);
    }
    if ((res.statusCode !== 401 && res.statusCode !== 407) || authRounds >= 2) break;
    await discard(res.body);
    if (!answerChallenge(req.auth, res.statusCode, file.url, res.headers, sent, trustedHost)) {
      break;
    }
  }
  const { statusCode: status, headers, body } = res;
  const validator = responseValidator(headers);
  if (status === 206) {
    const rangeHeader = headerValue(headers, 'content-range');
    const range = parseContentRange(rangeHeader);
    if (range !== null && range.total !== null && range.total !== file.totalBytes) {
      await discard(body);
      throw sourceChangedError(file.url, `size ${range.total} instead of ${file.totalBytes}`);
    }
    if (validatorsConflict(file.validator, validator)) {
      await discard(body);
      throw sourceChangedError(file.url, 'a different ETag or Last-Modified');
    }
    if (range?.start !== start || range.end + 1 !== end) {
      await discard(body);
      throw badContentRangeError(rangeHeader, file.url);
    }
    return { kind: 'range', body, viaProxy };
  }
  if (status === 200) {
    const totalBytes = parseContentLength(headerValue(headers, 'content-length'));
    return { kind: 'full', body, totalBytes, validator, viaProxy };
  }
  await discard(body);
  if (status === 416) throw sourceChangedError(file.url, 'the range is past its end');
  throw responseStatusError(status, file.url, headers, lease);
}
