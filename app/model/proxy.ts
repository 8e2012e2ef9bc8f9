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

/** The environment variables that set a process's proxy and trusted CAs. */
export const NETWORK_VARIABLES = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'NODE_EXTRA_CA_CERTS',
] as const;

/** One of NETWORK_VARIABLES. */
export type NetworkVariableName = (typeof NETWORK_VARIABLES)[number];

/**
 * One network variable as a process reads it (a lower-case proxy name wins, as in curl):
 * `value` for display, a proxy's password masked; `digest` tells two values apart without
 * showing them. Both null when unset.
 */
export interface NetworkVariable {
  readonly name: NetworkVariableName;
  readonly value: string | null;
  readonly digest: string | null;
}
