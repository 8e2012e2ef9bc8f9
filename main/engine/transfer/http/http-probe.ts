import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { discard, redirectTarget, requestHeaders } from './http-open.js';
import { headerValue, parseContentLength, parseContentRange } from './range.js';
import type { FileTransferRequest } from '../types.js';

/** What a server says about a file before it is fetched. */
export interface RemoteProbe {
  /** The Content-Disposition header of the final response, or null. */
  readonly contentDisposition: string | null;
  /** The URL after redirects. */
  readonly finalUrl: string;
  /** The file's size, or null when the server does not say. */
  readonly bytesTotal: number | null;
}

/** What a probe sends and through which connections: the fields of a transfer it shares. */
export type ProbeRequest = Pick<
  FileTransferRequest,
  'remoteUrl' | 'headers' | 'userAgent' | 'connectionFor' | 'signal' | 'limits'
>;

/**
 * Asks a server for a file's name and size the way a transfer asks for its bytes: a GET of the
 * first byte (`Range: bytes=0-0`), with the job's headers and User-Agent, through the same
 * connections (its proxy, kept alive for the transfer that follows). A GET rather than HEAD,
 * since some servers refuse HEAD or answer it differently; one byte, so the body is read away
 * and the connection reused. Redirects are followed as a transfer follows them.
 *
 * Any failure (network, status, a redirect loop, the signal) is "no hint": null.
 */
export async function probeHttp(req: ProbeRequest): Promise<RemoteProbe | null> {
  let url: URL;
  try {
    url = new URL(req.remoteUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const startOrigin = url.origin;
  const seen = new Set([url.href]);
  for (;;) {
    if (req.signal.aborted) return null;
    let lease;
    try {
      lease = req.connectionFor(url);
    } catch {
      return null;
    }
    const headers = requestHeaders(
      { headers: req.headers, userAgent: req.userAgent, validator: null },
      0,
      url.origin === startOrigin,
      1,
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
      });
    } catch {
      lease.release(false);
      return null;
    }
    const status = res.statusCode;
    const location = headerValue(res.headers, 'location');
    const disposition = headerValue(res.headers, 'content-disposition') ?? null;
    const size =
      status === 206
        ? (parseContentRange(headerValue(res.headers, 'content-range'))?.total ?? null)
        : parseContentLength(headerValue(res.headers, 'content-length'));
    lease.release(await discard(res.body));
    if (status >= 300 && status < 400 && location !== undefined) {
      let next: URL;
      try {
        next = redirectTarget(url, status, location);
      } catch {
        return null;
      }
      if (seen.has(next.href) || seen.size > req.limits.maxRedirects) return null;
      seen.add(next.href);
      url = next;
      continue;
    }
    if (status !== 200 && status !== 206) return null;
    return { contentDisposition: disposition, finalUrl: url.href, bytesTotal: size };
  }
}
