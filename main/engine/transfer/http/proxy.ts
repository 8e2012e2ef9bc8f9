import { createHash } from 'node:crypto';
import { Pool, ProxyAgent } from 'undici';
import type { Client, Dispatcher } from 'undici';
import { parseProxyAddress, proxyListTokens } from '../../../../app/index.js';
import type { ProxySettings } from '../../../../app/index.js';
import { poolClosedError, proxySettingError } from '../map-error.js';
import { verifyingConnector } from './connector.js';
import type { TrustOptions } from './connector.js';
import { HostConnections } from './host-connections.js';
import type { ConnectionLease, ProxyRoute } from '../types.js';

/**
 * Connection pools and proxy choice for transfers, by BITS proxy usage.
 *
 * See BITS' SetProxySettings: PRECONFIG (and AUTODETECT, without WPAD) use the system's proxy,
 * NO_PROXY goes direct, OVERRIDE uses the job's own proxy and bypass lists.
 *
 * Through a proxy, http URLs are forwarded (`GET http://host/path HTTP/1.1` to the proxy, with
 * Proxy-Authorization when the proxy URL has credentials) and only https URLs are tunnelled
 * with CONNECT, as browsers and curl do: Squid's stock policy (`http_access deny CONNECT
 * !SSL_ports`) refuses CONNECT to port 80, and a caching proxy can only cache what it sees.
 */

/** Options of `createDispatcherPool`. */
export interface DispatcherPoolOptions {
  /** TCP (and TLS) connect timeout of every connection, direct or to a proxy. */
  readonly connectTimeoutMs: number;
  /**
   * The system proxy for a URL (PRECONFIG, AUTODETECT), or null for direct; supplied by the
   * desktop shell. Without it the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`) is used.
   */
  readonly preconfigProxy?: (url: URL) => string | null;
  /** Environment read for the system proxy; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Extra CA certificates (PEM) trusted beside the system's, asked at every lease (the
   * settings' CA file, read by the engine; it throws a FerryError when the file is unusable);
   * default none.
   */
  readonly extraCa?: () => string | null;
  /** Offer HTTP/2 by ALPN to https servers; default true. */
  readonly allowH2?: boolean;
}

/** Dispatchers shared by every transfer of an engine. */
export interface DispatcherPool {
  /**
   * A connection for requests to `url`'s origin: a keep-alive socket of its own (direct, or to
   * the proxy that forwards an http URL), a stream of a shared HTTP/2 connection, or the
   * cached tunnelling ProxyAgent of the proxy the settings choose for an https URL.
   * `pinned` are the fingerprints of certificates the job trusts (see connector.ts).
   */
  connectionFor(
    url: URL,
    settings: ProxySettings,
    pinned?: readonly string[],
    tunnelCredential?: TunnelCredential | null,
  ): ConnectionLease;
  /** Idle connections are closed, so the next ones use changed trust settings. */
  dropIdle(): void;
  /** Closes every pooled connection; later `connectionFor` calls throw ENGINE_CLOSED. */
  close(): Promise<void>;
}

/**
 * Creates the engine's dispatcher pool.
 *
 * Direct and forwarded connections are leased one socket at a time (HostConnections), and idle
 * ones carry the next file of the same host; one tunnelling ProxyAgent is kept per proxy URI
 * (and trust) so its sockets are reused too.
 */
export function createDispatcherPool(options: DispatcherPoolOptions): DispatcherPool {
  const timeout = options.connectTimeoutMs;
  const allowH2 = options.allowH2 ?? true;
  const extraCa = options.extraCa ?? (() => null);
  const connections = new HostConnections(timeout);
  const tunnels = new Map<string, ProxyAgent>();
  let closed = false;
  return {
    connectionFor(url, settings, pinned = [], tunnelCredential = null) {
      if (closed) {
        throw poolClosedError();
      }
      // Read once per lease (it may throw: an unreadable file is the user's to fix); the
      // connections are keyed by it, so a changed file never reuses an older one's.
      const ca = extraCa();
      const caKey = ca === null ? '' : createHash('sha256').update(ca).digest('hex').slice(0, 16);
      const trust: TrustOptions = { extraCa: () => ca, pinned };
      const pins = `${[...pinned].sort().join(',')} ${caKey}`;
      const proxy = proxyFor(url, settings, options);
      if (proxy === null) {
        return connections.lease({
          key: `direct ${url.origin} ${pins}`,
          origin: url.origin,
          trust,
          allowH2: allowH2 && url.protocol === 'https:',
        });
      }
      const proxyUrl = new URL(proxy);
      const authorization = proxyAuthorization(proxyUrl);
      if (url.protocol === 'http:') {
        // The server's certificate plays no part: the proxy speaks to it over plain http.
        return connections.lease({
          key: `forward ${proxy} ${caKey}`,
          origin: proxyUrl.origin,
          trust: { extraCa: () => ca, pinned: [] },
          allowH2: false,
          wrap: (client) => forwarding(client, authorization),
          proxy: route(proxyUrl, authorization, 'forward'),
        });
      }
      // CONNECT carries one fixed Proxy-Authorization: the address's credentials, else the
      // job's PROXY Basic ones (a challenge cannot be answered inside undici's tunnel).
      const viaJob = authorization === null && tunnelCredential !== null;
      const tunnelUri = viaJob ? withUserinfo(proxyUrl, tunnelCredential) : proxy;
      const key = `${tunnelUri} ${pins}`;
      let agent = tunnels.get(key);
      if (agent === undefined) {
        agent = tunnelAgent(tunnelUri, timeout, allowH2, trust);
        tunnels.set(key, agent);
      }
      return {
        dispatcher: agent,
        viaProxy: true,
        proxy: viaJob
          ? {
              ...route(proxyUrl, null, 'tunnel'),
              credentials: true,
              jobUser: tunnelCredential.userName,
            }
          : route(proxyUrl, authorization, 'tunnel'),
        release: () => undefined,
      };
    },
    dropIdle() {
      connections.dropIdle();
    },
    async close() {
      closed = true;
      const all: Dispatcher[] = [...tunnels.values()];
      tunnels.clear();
      await Promise.all([connections.close(), ...all.map((d) => d.close().catch(() => undefined))]);
    },
  };
}

/**
 * A ProxyAgent that tunnels https requests with CONNECT; the server's certificate is judged
 * by Ferry's trust rules (extra CAs, pinned fingerprints) like a direct connection's.
 */
function tunnelAgent(
  proxy: string,
  timeout: number,
  allowH2: boolean,
  trust: TrustOptions,
): ProxyAgent {
  const ca = trust.extraCa();
  return new ProxyAgent({
    uri: proxy,
    allowH2,
    proxyTls: { timeout },
    requestTls: {
      timeout,
      // ALPN inside the tunnel: an h2-only server refuses a handshake that offers only 1.1.
      allowH2,
      rejectUnauthorized: false,
      ...(ca === null ? {} : { ca }),
    },
    // The tunnel's clients get the agent's CONNECT connector in `connect`; it is wrapped.
    factory: (origin, opts: Pool.Options) => {
      const tunnel = opts.connect;
      return new Pool(origin, {
        ...opts,
        ...(typeof tunnel === 'function' ? { connect: verifyingConnector(tunnel, trust) } : {}),
      });
    },
  });
}

/** A job's PROXY Basic credentials, used for a CONNECT tunnel whose address names none. */
export interface TunnelCredential {
  readonly userName: string;
  readonly password: string;
}

/** The proxy URI with the job's credentials as its userinfo (undici sends them as Basic). */
function withUserinfo(proxy: URL, credential: TunnelCredential): string {
  const uri = new URL(proxy.href);
  uri.username = encodeURIComponent(credential.userName);
  uri.password = encodeURIComponent(credential.password);
  return uri.href;
}

/** `Basic …` for a proxy URL with a user name, else null. */
function proxyAuthorization(proxy: URL): string | null {
  if (proxy.username === '' && proxy.password === '') return null;
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function route(proxy: URL, authorization: string | null, mode: ProxyRoute['mode']): ProxyRoute {
  const user = proxy.username === '' ? '' : `${decodeURIComponent(proxy.username)}@`;
  return {
    display: `${proxy.protocol}//${user}${proxy.host}`,
    credentials: authorization !== null,
    mode,
  };
}

/**
 * The client to a proxy, writing each request in absolute form (RFC 9112 3.2.2): the target
 * URL as the request target, its authority as Host, and the proxy's credentials.
 */
function forwarding(client: Client, authorization: string | null): Dispatcher {
  return client.compose((dispatch) => (opts, handler) => {
    const origin = new URL(String(opts.origin));
    const extra = ['host', origin.host];
    if (authorization !== null) extra.push('proxy-authorization', authorization);
    return dispatch(
      { ...opts, path: `${origin.origin}${opts.path}`, headers: withHeaders(opts.headers, extra) },
      handler,
    );
  });
}

/** A request's headers with `extra` (flat name/value pairs) added, replacing same names. */
function withHeaders(
  headers: Dispatcher.DispatchOptions['headers'],
  extra: readonly string[],
): string[] {
  const names = new Set<string>();
  for (let i = 0; i < extra.length; i += 2) names.add((extra[i] ?? '').toLowerCase());
  const out: string[] = [];
  const add = (name: string, value: string | readonly string[] | null | undefined): void => {
    if (names.has(name.toLowerCase()) || value === undefined || value === null) return;
    if (typeof value === 'string') out.push(name, value);
    else for (const v of value) out.push(name, v);
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) add(String(headers[i]), headers[i + 1]);
  } else if (headers !== undefined && headers !== null) {
    const entries =
      Symbol.iterator in headers
        ? [...(headers as Iterable<[string, string | string[] | undefined]>)]
        : Object.entries(headers);
    for (const [name, value] of entries) add(name, value);
  }
  return [...out, ...extra];
}

/**
 * The proxy URI (normalised, e.g. `http://host:8080/`) a request to `url` goes through, or null
 * for a direct connection.
 *
 * OVERRIDE with no proxy for the URL's scheme is refused (INPUT_INVALID) rather than sent
 * direct: a job that asked for a proxy must not silently bypass it.
 */
export function proxyFor(
  url: URL,
  settings: ProxySettings,
  source: Pick<DispatcherPoolOptions, 'preconfigProxy' | 'env'> = {},
): string | null {
  switch (settings.usage) {
    case 'NO_PROXY':
      return null;
    case 'OVERRIDE': {
      if (matchesBypass(hostKey(url), settings.bypassList)) return null;
      const chosen = overrideProxy(settings.proxyList, url.protocol.slice(0, -1));
      if (chosen === null) {
        throw proxySettingError(`No proxy in the job's proxy list applies to ${url.protocol} URLs`);
      }
      return normaliseProxy(chosen);
    }
    case 'PRECONFIG':
    case 'AUTODETECT': {
      if (source.preconfigProxy !== undefined) {
        const system = source.preconfigProxy(url);
        return system === null ? null : normaliseProxy(system);
      }
      return envProxy(url, source.env ?? process.env);
    }
  }
}

/**
 * The environment's proxy for a URL, as curl and undici read it.
 *
 * https URLs use HTTPS_PROXY, falling back to HTTP_PROXY; lower-case names win. NO_PROXY
 * entries match the host and its subdomains (a leading `.` or `*.` is optional), `*` matches
 * everything, `host:port` only that port.
 */
export function envProxy(url: URL, env: NodeJS.ProcessEnv): string | null {
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (matchesBypass(hostKey(url), noProxyBypassList(noProxy))) return null;
  const http = nonEmpty(env.http_proxy) ?? nonEmpty(env.HTTP_PROXY);
  const https = nonEmpty(env.https_proxy) ?? nonEmpty(env.HTTPS_PROXY);
  const chosen = url.protocol === 'https:' ? (https ?? http) : http;
  return chosen === undefined ? null : normaliseProxy(chosen);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** NO_PROXY's curl semantics expressed in bypass-list entries. */
function noProxyBypassList(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(/[,\s]+/)) {
    if (raw === '') continue;
    if (raw === '*') {
      out.push('*');
      continue;
    }
    const name = raw.replace(/^\*?\./, '');
    out.push(name, `.${name}`);
  }
  return out;
}

/**
 * The first usable proxy of an OVERRIDE list for a scheme (`http` or `https`); the entry
 * grammar (app/proxy-address.ts) is the one SetProxySettings checked.
 */
function overrideProxy(proxyList: readonly string[], scheme: string): string | null {
  for (const entry of proxyList) {
    for (const token of proxyListTokens(entry)) {
      if (token.scheme === null || token.scheme === scheme) return token.address;
    }
  }
  return null;
}

/**
 * A proxy as a URI undici accepts, or null for DIRECT (see parseProxyAddress); a store
 * written before the commands checked addresses may still hold a bad one.
 */
function normaliseProxy(value: string): string | null {
  const read = parseProxyAddress(value);
  if (!read.ok) throw proxySettingError(`Invalid proxy: ${read.problem}`);
  return read.uri;
}

/** `host:port` of a URL with the default port filled in, as bypass entries are matched. */
function hostKey(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return `${url.hostname}:${port}`;
}

/** A host name (lower case, brackets and trailing dot removed) and its port, if any. */
interface HostPort {
  readonly name: string;
  readonly port: string | null;
}

function splitHostPort(value: string): HostPort {
  let text = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  text = text.replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed !== null) {
    return { name: canonicalIpv6(bracketed[1] ?? ''), port: bracketed[2] ?? null };
  }
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [name = '', port = ''] = text.split(':');
    return { name: cleanName(name), port: port === '' ? null : port };
  }
  if (colons > 1) return { name: canonicalIpv6(text), port: null };
  return { name: cleanName(text), port: null };
}

function cleanName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** An IPv6 literal in URL-canonical form (so `::0:1` equals `::1`); wildcards kept as given. */
function canonicalIpv6(address: string): string {
  if (address.includes('*')) return address.toLowerCase();
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/**
 * Whether a host bypasses the proxy under a BITS / WinHTTP bypass list.
 *
 * `host` is a host name or IP, optionally with `:port` (IPv6 in brackets). Entries are
 * case-insensitive and may be: an exact name or IP; `*.suffix` (any subdomain) or `.suffix`
 * (the same); any other `*` wildcard (e.g. `10.0.*`); `host:port` (that port only, other
 * entries match every port); `<local>` (a name without a dot, as WinHTTP defines it); `*`.
 */
export function matchesBypass(host: string, bypassList: readonly string[]): boolean {
  const target = splitHostPort(host);
  for (const raw of bypassList) {
    const entryText = raw.trim();
    if (entryText === '') continue;
    if (entryText.toLowerCase() === '<local>') {
      if (!target.name.includes('.') && !target.name.includes(':')) return true;
      continue;
    }
    const entry = splitHostPort(entryText);
    if (entry.port !== null && entry.port !== target.port) continue;
    if (nameMatches(target.name, entry.name)) return true;
  }
  return false;
}

function nameMatches(name: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('.')) return name.endsWith(pattern) && name.length > pattern.length;
  if (!pattern.includes('*')) return name === pattern;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(name);
}
