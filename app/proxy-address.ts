import { maskUrl } from './secret-mask.js';

/**
 * The proxy-address grammar, shared by the commands that take proxies (refused there, before
 * anything changes) and the engine that connects through them (so both read an entry alike).
 *
 * An address is `host:port`, `http://host:port` or `https://host:port` (with an optional
 * `user:password@`), or a system resolver's PAC-style answer: `DIRECT`, `PROXY host:port`,
 * `HTTPS host:port`. An OVERRIDE list entry holds one or more addresses separated by `;` or
 * spaces, each optionally scheme-specific as in BITS/WinHTTP (`http=host:port`).
 */

/**
 * The WHATWG URL parser, present in Node, Electron and browsers alike; app/ is compiled without
 * DOM or Node types, so only what is used here is declared.
 */
declare const URL: new (input: string) => { readonly href: string; readonly hostname: string };

/** An address read: the URI undici is given (null for DIRECT), or why it is unusable. */
export type ProxyAddress =
  | { readonly ok: true; readonly uri: string | null }
  | { readonly ok: false; readonly problem: string };

/** One proxy of an OVERRIDE list entry: the URL scheme it is for (null: every scheme). */
export interface ProxyListToken {
  readonly scheme: string | null;
  readonly address: string;
}

/** The proxies of one OVERRIDE list entry, in order. */
export function proxyListTokens(entry: string): ProxyListToken[] {
  const out: ProxyListToken[] = [];
  for (const token of entry.split(/[;\s]+/)) {
    if (token === '') continue;
    const specific = /^([a-z][a-z0-9+.-]*)=(.+)$/i.exec(token);
    if (specific === null) out.push({ scheme: null, address: token });
    else out.push({ scheme: (specific[1] ?? '').toLowerCase(), address: specific[2] ?? '' });
  }
  return out;
}

/** Reads one proxy address (the first of a `;`-separated resolver answer). */
export function parseProxyAddress(value: string): ProxyAddress {
  const shown = maskUrl(value);
  const first = (value.split(';')[0] ?? '').trim();
  if (first === '' || /^direct$/i.test(first)) return { ok: true, uri: null };
  const pac = /^(proxy|http|https)\s+(\S+)$/i.exec(first);
  let uri = first;
  if (pac !== null) {
    const scheme = pac[1]?.toLowerCase() === 'https' ? 'https' : 'http';
    uri = `${scheme}://${pac[2] ?? ''}`;
  } else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    uri = `http://${uri}`;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase() ?? '';
  if (scheme !== 'http' && scheme !== 'https') {
    return {
      ok: false,
      problem: `'${shown}' uses the scheme '${scheme}:': only http and https proxies are supported`,
    };
  }
  const port = /^[a-z]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/]*):(\d+)(?:[/?#]|$)/i.exec(uri)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return { ok: false, problem: `'${shown}' has the port ${port}: use 1 to 65535` };
  }
  let parsed: { readonly href: string; readonly hostname: string };
  try {
    parsed = new URL(uri);
  } catch {
    return {
      ok: false,
      problem: `'${shown}' is not a proxy address (host:port or http://host:port)`,
    };
  }
  if (parsed.hostname === '') {
    return { ok: false, problem: `'${shown}' names no host` };
  }
  return { ok: true, uri: parsed.href };
}

/** Why an OVERRIDE list entry is unusable, or null when every proxy in it reads. */
export function proxyEntryProblem(entry: string): string | null {
  for (const token of proxyListTokens(entry)) {
    const read = parseProxyAddress(token.address);
    if (!read.ok) return read.problem;
  }
  return null;
}
