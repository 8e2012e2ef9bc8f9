/**
 * Proxy usage, named as BITS' `BG_JOB_PROXY_USAGE` (PRECONFIG = 0 … AUTODETECT = 3).
 *
 * PRECONFIG uses the system's settings (HTTP_PROXY / HTTPS_PROXY / NO_PROXY, or the desktop
 * shell's resolver); NO_PROXY goes direct; OVERRIDE uses the job's own lists; AUTODETECT is
 * treated like PRECONFIG (no WPAD discovery yet).
 */
export const PROXY_USAGES = ['PRECONFIG', 'NO_PROXY', 'OVERRIDE', 'AUTODETECT'] as const;

/** One of the BITS proxy usages. */
export type ProxyUsage = (typeof PROXY_USAGES)[number];

/**
 * A job's proxy settings.
 *
 * With OVERRIDE, `proxyList` holds one or more proxies (`host:port` or `http://host:port`), the
 * first one is used; `bypassList` holds host names, `*.suffix` wildcards and `<local>` (any host
 * name without a dot), as in BITS' SetProxySettings. Both lists are empty for other usages.
 */
export interface ProxySettings {
  readonly usage: ProxyUsage;
  readonly proxyList: readonly string[];
  readonly bypassList: readonly string[];
}

/** Proxy settings of a new job. */
export const DEFAULT_PROXY_SETTINGS: ProxySettings = {
  usage: 'PRECONFIG',
  proxyList: [],
  bypassList: [],
};
