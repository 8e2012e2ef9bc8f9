import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { JobId } from '../../app/index.js';
import type { Engine, EngineEvent } from '../engine/index.js';
import { NETWORK_ERROR_CODES } from '../engine/index.js';

/**
 * The headless server's sense of the network, where no OS signal reaches it: when a job stops
 * in TRANSIENT_ERROR on a network failure, a cheap check tells "this server is down" from "the
 * network is gone", and only the latter tells the engine (which then keeps such jobs waiting
 * without spending retries, and retries them at once when the check passes again).
 *
 * The check: no non-loopback interface with an address, or the resolver cannot answer for the
 * job's host (EAI_AGAIN: "temporary failure in name resolution", what getaddrinfo says with no
 * network). A resolver that answers "no such host" (ENOTFOUND) proves the network works. A host
 * given as an IP address is not looked up, so loopback and LAN jobs never trigger it.
 */

/** What the probe uses of the system (tests inject their own). */
export interface ProbeSystem {
  /** Resolves a host name; rejects with an error carrying `code`. */
  lookup(host: string): Promise<unknown>;
  /** Whether some non-internal network interface has an address. */
  hasInterface(): boolean;
  /** Runs `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/** The real system: dns.lookup, os.networkInterfaces and an unref'd interval. */
export const NODE_PROBE_SYSTEM: ProbeSystem = {
  lookup: (host) => lookup(host),
  hasInterface: () =>
    Object.values(networkInterfaces()).some((addresses) =>
      (addresses ?? []).some((address) => !address.internal),
    ),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => {
      clearInterval(timer);
    };
  },
};

/** How often an offline server looks again, in ms. */
export const PROBE_INTERVAL_MS = 5000;

/** Resolver failures that mean "no network" rather than "no such host". */
const OFFLINE_LOOKUP_CODES = new Set(['EAI_AGAIN', 'ECONNREFUSED', 'ETIMEOUT', 'ENETUNREACH']);

/** Starts probing on the engine's network failures; returns the stop function. */
export function startNetworkProbe(
  engine: Engine,
  system: ProbeSystem = NODE_PROBE_SYSTEM,
  onWarning: (message: string, cause?: unknown) => void = () => undefined,
): () => void {
  let offlineHost: string | null = null;
  let stopPolling: (() => void) | null = null;
  let probing = false;
  let stopped = false;

  /** True when the check says the network is gone. */
  const offline = async (host: string): Promise<boolean> => {
    if (!system.hasInterface()) return true;
    try {
      await system.lookup(host);
      return false;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return typeof code === 'string' && OFFLINE_LOOKUP_CODES.has(code);
    }
  };

  const poll = (): void => {
    const host = offlineHost;
    if (host === null || probing) return;
    probing = true;
    void offline(host)
      .then((gone) => {
        if (gone || stopped) return;
        offlineHost = null;
        stopPolling?.();
        stopPolling = null;
        engine.setNetworkAvailable(true);
      })
      .finally(() => {
        probing = false;
      });
  };

  const check = (host: string): void => {
    if (offlineHost !== null || probing) return;
    probing = true;
    void offline(host)
      .then((gone) => {
        if (!gone || stopped) return;
        offlineHost = host;
        onWarning(`the network seems gone (cannot resolve ${host}); retrying when it is back`);
        engine.setNetworkAvailable(false);
        stopPolling = system.every(PROBE_INTERVAL_MS, poll);
      })
      .finally(() => {
        probing = false;
      });
  };

  const unsubscribe = engine.subscribe((event: EngineEvent) => {
    if (event.type !== 'jobModification' || event.job.state !== 'TRANSIENT_ERROR') return;
    const error = event.job.error;
    if (error === null || !NETWORK_ERROR_CODES.has(error.code)) return;
    const host = hostOfFailure(engine, event.job.id, error.fileIndex);
    if (host !== null) check(host);
  });
  return () => {
    stopped = true;
    unsubscribe();
    stopPolling?.();
  };
}

/** The host name of the failed file, or null for an IP address or an unknown file. */
function hostOfFailure(engine: Engine, jobId: JobId, fileIndex: number | null): string | null {
  try {
    const files = engine.parsed.job(jobId).enumFiles();
    const file = files[fileIndex ?? 0] ?? files[0];
    if (file === undefined) return null;
    const host = new URL(file.remoteName).hostname;
    return host === '' || /^[\d.]+$/.test(host) || host.startsWith('[') ? null : host;
  } catch {
    return null;
  }
}
