import { STATUS_CODES } from 'node:http';
import { FerryError } from '../../../app/index.js';
import type { FerryErrorCode } from '../../../app/index.js';
import { displayUrl, errorChain } from '../error-chain.js';
import { httpStatusError, networkError } from './map-error.js';
import type { ConnectionLease, ProxyRoute } from './types.js';
import { setCredentialsHint } from './auth/authenticator.js';

/**
 * Failures of the connection itself that only the user can fix: a proxy that refuses (407
 * asks for credentials or rejects them, 403 denies the destination), a certificate nobody
 * trusts, a server that speaks another protocol on that port. Retrying cannot help, so they
 * are final (ERROR, context GENERAL_TRANSPORT) and their message says what to change. Every
 * other failure goes on to map-error.ts.
 */

/** The error for a request that failed before any response (connect, TLS, proxy tunnel). */
export function requestError(err: unknown, url: URL, lease: ConnectionLease): FerryError {
  if (err instanceof FerryError) return err;
  const chain = errorChain(err);
  const tunnel = chain
    .map((e) => /Proxy response \((\d{3})\)/.exec(e.message ?? '')?.[1])
    .find((s) => s !== undefined);
  if (tunnel !== undefined && lease.proxy !== undefined && isRefusal(Number(tunnel))) {
    return proxyRefusalError(Number(tunnel), url, lease.proxy, err);
  }
  const codes = chain.map((e) => e.code);
  if (codes.includes('ERR_SSL_WRONG_VERSION_NUMBER')) {
    return mismatchError(
      url,
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'the server does not speak TLS on this port (it answers plain HTTP): use http:// or the port of its https service',
      err,
    );
  }
  if (codes.includes('ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL')) {
    return mismatchError(
      url,
      'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
      'the server and Ferry share no HTTP version (the server offers only a protocol Ferry did not propose, e.g. HTTP/2 alone through a path where Ferry offers HTTP/1.1)',
      err,
    );
  }
  const base = networkError(err, url, { viaProxy: lease.viaProxy });
  const fingerprint = chain
    .map((e) => /sha256:[0-9a-f]{64}/.exec(e.message ?? '')?.[0])
    .find((f) => f !== undefined);
  if (base.code === 'NET_TLS_FAILURE' && /certificate not trusted/.test(base.message)) {
    const pin =
      fingerprint === undefined
        ? ''
        : ` If you trust this server, trust its certificate for this job (ferry create --trust-cert ${fingerprint}, or the job's "Trusted certificate" field).`;
    return new FerryError(
      'NET_TLS_FAILURE',
      'GENERAL_TRANSPORT',
      `${base.message}.${pin} If your organisation has its own certificate authority, add its certificate in Settings → Network → Extra CA certificates.`,
      { cause: err, ...(base.sysCode === undefined ? {} : { sysCode: base.sysCode }) },
    );
  }
  return base;
}

/**
 * The error for a final response that is not a success: the proxy's own refusal when it came
 * from the proxy (a forwarded request's 407, or a 403 the proxy marks as its own), else the
 * server's status as map-error.ts reads it.
 */
export function responseStatusError(
  status: number,
  url: URL,
  headers: Record<string, string | string[] | undefined>,
  lease: ConnectionLease,
): FerryError {
  const proxy = lease.proxy;
  if (proxy?.mode === 'forward' && isRefusal(status) && (status === 407 || fromProxy(headers))) {
    return proxyRefusalError(status, url, proxy);
  }
  return httpStatusError(status, url, headers['retry-after']);
}

/** A proxy status the user must act on; 408, 429 and 5xx stay transient (NET_PROXY_FAILURE). */
function isRefusal(status: number): boolean {
  return status >= 400 && status <= 499 && status !== 408 && status !== 429;
}

/**
 * Whether an error response was written by the proxy rather than passed on from the server:
 * Squid marks its own with X-Squid-Error, RFC 9209 proxies with an `error=` in Proxy-Status.
 */
function fromProxy(headers: Record<string, string | string[] | undefined>): boolean {
  const status = headers['proxy-status'];
  const text = Array.isArray(status) ? status.join(',') : (status ?? '');
  return headers['x-squid-error'] !== undefined || /;\s*error=/i.test(text);
}

/** The proxy refused: 407 (credentials), 403 (policy) or another 4xx. Final. */
export function proxyRefusalError(
  status: number,
  url: URL,
  proxy: ProxyRoute,
  cause?: unknown,
): FerryError {
  const label = `HTTP ${status}${STATUS_CODES[status] === undefined ? '' : ` ${STATUS_CODES[status]}`}`;
  const target = proxy.mode === 'tunnel' ? url.host : displayUrl(url);
  let what: string;
  if (status === 407) {
    what =
      proxy.jobUser !== undefined
        ? `The proxy ${proxy.display} rejected the job's proxy credentials (Basic, user '${proxy.jobUser}') (${label}) for ${target}: correct them with ${setCredentialsHint('PROXY')}`
        : proxy.credentials
          ? `The proxy ${proxy.display} rejected the user name and password (${label}) for ${target}: correct them in the proxy address, as user:password@host:port, of the job or of the default proxy in the settings`
          : `The proxy ${proxy.display} requires a user name and password (${label}) for ${target}: give them in the proxy address, as user:password@host:port, of the job or of the default proxy in the settings`;
  } else if (status === 403) {
    what = `The proxy ${proxy.display} denied access to ${target} (${label}): its policy does not allow this destination; ask its administrator, or add the host to the proxy bypass list if it can be reached directly`;
  } else {
    what = `The proxy ${proxy.display} refused the request for ${target} (${label}): check the proxy address in the job's or the default proxy settings`;
  }
  const code: FerryErrorCode =
    status === 403 || status === 407 ? 'HTTP_ACCESS_DENIED' : 'HTTP_CLIENT_ERROR';
  return new FerryError(code, 'GENERAL_TRANSPORT', what, {
    httpStatus: status,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The server speaks another protocol than the one Ferry used. Final. */
function mismatchError(url: URL, sysCode: string, what: string, cause: unknown): FerryError {
  return new FerryError(
    'NET_TLS_FAILURE',
    'GENERAL_TRANSPORT',
    `Protocol mismatch with ${displayUrl(url)}: ${what}`,
    { cause, sysCode },
  );
}
