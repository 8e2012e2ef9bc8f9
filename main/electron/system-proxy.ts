/**
 * The system proxy for PRECONFIG jobs, from Chromium's resolver (`session.resolveProxy`).
 *
 * The engine's hook `preconfigProxy(url)` is synchronous (it runs while a transfer picks its
 * dispatcher) but `resolveProxy` is asynchronous, so answers are cached per origin:
 * - `prime()` resolves one probe URL per scheme before the engine starts, so the first
 *   transfer of each scheme already has the system's answer (fixed proxy settings, the usual
 *   case, are then exact from the start);
 * - a lookup for an origin not cached yet returns its scheme's answer and resolves the origin
 *   in the background, so PAC rules that differ per host apply from the next request on (a
 *   transfer retried after a transient error, a new file);
 * - an entry older than the TTL is still used while it is refreshed in the background, so the
 *   hook never waits and a changed system setting is picked up within a TTL.
 */

/** Default time an answer is trusted before it is refreshed. */
export const SYSTEM_PROXY_TTL_MS = 60_000;

/** Most origins kept; the oldest is dropped beyond it. */
export const SYSTEM_PROXY_MAX_ENTRIES = 256;

/** The URLs `prime()` resolves, one per scheme the engine transfers. */
export const PROBE_URLS: Readonly<Record<'http:' | 'https:', string>> = {
  'http:': 'http://example.com/',
  'https:': 'https://example.com/',
};

const PROBE_KEYS: ReadonlySet<string> = new Set(
  Object.values(PROBE_URLS).map((url) => originKey(url)),
);

/**
 * The proxy a Chromium proxy string chooses, in the hook's format: `http://host:port` for
 * `PROXY`, `https://host:port` for `HTTPS`, null for `DIRECT`.
 *
 * The string is a PAC result: entries separated by `;`, tried in order, e.g.
 * `"PROXY proxy.corp:8080; DIRECT"`. The first entry Ferry can use wins. SOCKS entries are
 * skipped (the engine's HTTP client speaks only HTTP(S) proxies); a string with no usable
 * entry at all (empty, only SOCKS, malformed) means direct.
 */
export function parseProxyRules(rules: string): string | null {
  for (const raw of rules.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = /^(\w+)(?:\s+(\S+))?$/.exec(entry);
    const kind = match?.[1]?.toUpperCase();
    const hostPort = match?.[2];
    if (kind === 'DIRECT' && hostPort === undefined) return null;
    if ((kind === 'PROXY' || kind === 'HTTPS') && hostPort !== undefined && isHostPort(hostPort)) {
      return `${kind === 'PROXY' ? 'http' : 'https'}://${hostPort}`;
    }
  }
  return null;
}

/** `host:port` or `[v6]:port`, port 1-65535, no path, user info or spaces. */
function isHostPort(text: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  return match !== null && port >= 1 && port <= 65_535;
}

/** What the cache needs from Electron and the clock. */
export interface SystemProxyCacheOptions {
  /** `session.defaultSession.resolveProxy(url)`. */
  readonly resolve: (url: string) => Promise<string>;
  /** Milliseconds, monotonic (`performance.now`). */
  readonly now: () => number;
  readonly ttlMs?: number;
  /** Called when a resolution fails; the previous answer stays in use. */
  readonly onError?: (url: string, error: unknown) => void;
}

interface Entry {
  value: string | null;
  resolvedAt: number;
}

/** The cache behind the engine's `preconfigProxy` hook. */
export class SystemProxyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly ttlMs: number;

  constructor(private readonly options: SystemProxyCacheOptions) {
    this.ttlMs = options.ttlMs ?? SYSTEM_PROXY_TTL_MS;
  }

  /** Resolves the per-scheme probes; await it before the engine starts. */
  async prime(): Promise<void> {
    await Promise.all(Object.values(PROBE_URLS).map((url) => this.refresh(originKey(url), url)));
  }

  /** The hook: the cached answer for the URL's origin, else its scheme's. Never waits. */
  lookup(url: URL): string | null {
    const key = originKey(url.href);
    const entry = this.entries.get(key);
    if (entry === undefined || this.isStale(entry)) void this.refresh(key, url.href);
    if (entry !== undefined) return entry.value;
    const probe = PROBE_URLS[url.protocol as keyof typeof PROBE_URLS] as string | undefined;
    if (probe === undefined) return null;
    const fallback = this.entries.get(originKey(probe));
    if (fallback === undefined || this.isStale(fallback))
      void this.refresh(originKey(probe), probe);
    return fallback?.value ?? null;
  }

  /** Resolves once every background resolution has settled (for shutdown and tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private isStale(entry: Entry): boolean {
    return this.options.now() - entry.resolvedAt >= this.ttlMs;
  }

  private refresh(key: string, url: string): Promise<void> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const task = this.options
      .resolve(url)
      .then((rules) => {
        this.entries.delete(key);
        this.entries.set(key, { value: parseProxyRules(rules), resolvedAt: this.options.now() });
        // Oldest first; the scheme probes are the fallback of every lookup, so they stay.
        for (const old of this.entries.keys()) {
          if (this.entries.size <= SYSTEM_PROXY_MAX_ENTRIES) break;
          if (!PROBE_KEYS.has(old)) this.entries.delete(old);
        }
      })
      .catch((error: unknown) => {
        this.options.onError?.(url, error);
      })
      .finally(() => {
        this.inFlight.delete(key);
      });
    this.inFlight.set(key, task);
    return task;
  }
}

/** Scheme, host and port: what a PAC script may decide on (paths are not considered). */
function originKey(href: string): string {
  const url = new URL(href);
  return `${url.protocol}//${url.host}`;
}
