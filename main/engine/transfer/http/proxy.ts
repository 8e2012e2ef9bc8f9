import { ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import type { ProxySettings } from '../../../../app/index.js';
import { poolClosedError, proxySettingError } from '../map-error.js';
import { HostConnections } from './host-connections.js';
import type { ConnectionLease } from '../types.js';

/**
 * Connection pools and proxy choice for transfers, by BITS proxy usage.
 *
 * See BITS' SetProxySettings: PRECONFIG (and AUTODETECT, without WPAD) use the system's proxy,
 * NO_PROXY goes direct, OVERRIDE uses the job's own proxy and bypass lists.
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
}

/** Dispatchers shared by every transfer of an engine. */
export interface DispatcherPool {
  /**
   * A connection for requests to `url`'s origin: a direct keep-alive socket of its own, or the
   * cached ProxyAgent of the proxy the settings choose for this URL.
   */
  connectionFor(url: URL, settings: ProxySettings): ConnectionLease;
  /** Closes every pooled connection; later `connectionFor` calls throw ENGINE_CLOSED. */
  close(): Promise<void>;
}

/**
 * Creates the engine's dispatcher pool.
 *
 * Direct connections are leased one socket at a time (HostConnections), and idle ones carry the
 * next file of the same host; one ProxyAgent is kept per proxy URI so its sockets are reused too.
 */
export function createDispatcherPool(options: DispatcherPoolOptions): DispatcherPool {
  const timeout = options.connectTimeoutMs;
  const direct = new HostConnections(timeout);
  const proxies = new Map<string, ProxyAgent>();
  let closed = false;
  return {
    connectionFor(url, settings) {
      if (closed) {
        throw poolClosedError();
      }
      const proxy = proxyFor(url, settings, options);
      if (proxy === null) return direct.lease(url);
      let agent = proxies.get(proxy);
      if (agent === undefined) {
        agent = new ProxyAgent({ uri: proxy, proxyTls: { timeout }, requestTls: { timeout } });
        proxies.set(proxy, agent);
      }
      return { dispatcher: agent, viaProxy: true, release: () => undefined };
    },
    async close() {
      closed = true;
      const all: Dispatcher[] = [...proxies.values()];
      proxies.clear();
      await Promise.all([direct.close(), ...all.map((d) => d.close().catch(() => undefined))]);
    },
  };
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
 * The first usable proxy of an OVERRIDE list for a scheme (`http` or `https`).
 *
 * Entries may hold several proxies separated by `;` or spaces, each `host:port`,
 * `http://host:port` or BITS/WinHTTP's scheme-specific `http=host:port`.
 */
function overrideProxy(proxyList: readonly string[], scheme: string): string | null {
  for (const entry of proxyList) {
    for (const token of entry.split(/[;\s]+/)) {
      if (token === '') continue;
      const specific = /^([a-z][a-z0-9+.-]*)=(.+)$/i.exec(token);
      if (specific === null) return token;
      if (specific[1]?.toLowerCase() === scheme && specific[2] !== undefined) return specific[2];
    }
  }
  return null;
}

/**
 * A proxy as a URI undici accepts; `host:port` means http. Also takes the PAC-style answers of
 * a system resolver: `DIRECT` is null-equivalent upstream, `PROXY host:port` is http.
 */
function normaliseProxy(value: string): string | null {
  const first = (value.split(';')[0] ?? '').trim();
  if (first === '' || /^direct$/i.test(first)) return null;
  const pac = /^(proxy|http|https)\s+(\S+)$/i.exec(first);
  let uri = first;
  if (pac !== null) {
    const scheme = pac[1]?.toLowerCase() === 'https' ? 'https' : 'http';
    uri = `${scheme}://${pac[2] ?? ''}`;
  } else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    uri = `http://${uri}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch (error) {
    throw proxySettingError(`Invalid proxy '${value}'`, error);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw proxySettingError(`Unsupported proxy scheme '${parsed.protocol}' in '${value}'`);
  }
  return parsed.href;
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
