import type { IncomingMessage } from 'node:http';

/**
 * The checks every request to the server passes before anything else: the Host header (DNS
 * rebinding) and, for WebSocket upgrades, the Origin header (cross-site WebSocket hijacking).
 *
 * A page on evil.example whose name the attacker re-points at 127.0.0.1 reaches the server
 * with `Host: evil.example:PORT`; refusing every Host but the loopback names defeats that. A
 * page on any other origin can open a WebSocket to 127.0.0.1 (WebSockets are not subject to
 * CORS), but its browser sends that page's Origin, which is refused. A request without Origin
 * comes from a non-browser client (the CLI), which still needs the token.
 */

/** Host names the server answers to, lower case, as they appear in a Host header. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

/**
 * Whether the request carries exactly one Host header.
 *
 * Node keeps the first of several and drops the rest, so a request could pass the Host check
 * with a loopback name while a proxy or another parser on the way read the second one: RFC 9112
 * section 3.2 says such a request gets 400.
 */
export function hasSingleHost(request: IncomingMessage): boolean {
  let count = 0;
  // rawHeaders alternates names and values.
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]?.toLowerCase() === 'host') count++;
  }
  return count === 1;
}

/** Whether the request's Host header is exactly a loopback name with the server's port. */
export function isAllowedHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  if (host === undefined) return false;
  const normalized = host.toLowerCase();
  return LOOPBACK_NAMES.some((name) => normalized === `${name}:${port}`);
}

/**
 * Whether the request's Origin, if any, is the server's own (`http://127.0.0.1:PORT`,
 * `http://localhost:PORT` or `http://[::1]:PORT`).
 *
 * `Origin: null` (sandboxed frames, file: pages) is refused like any foreign origin.
 */
export function isAllowedOrigin(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const normalized = origin.toLowerCase();
  return LOOPBACK_NAMES.some((name) => normalized === `http://${name}:${port}`);
}
