import { Client } from 'undici';
import type { Dispatcher } from 'undici';
import { createConnector } from './connector.js';
import type { TrustOptions } from './connector.js';
import type { ConnectionLease, ProxyRoute } from '../types.js';

/** Idle keep-alive connections kept per origin for the next file of that host. */
const MAX_IDLE_PER_ORIGIN = 8;

/**
 * Streams one HTTP/2 connection carries for Ferry at once; more borrowers open another
 * connection. Servers allow 100 or more (RFC 9113 recommends at least 100).
 */
const MAX_STREAMS_PER_CONNECTION = 64;

/** Where a lease's socket goes and how requests are written on it. */
export interface LeaseTarget {
  /** Connections are shared and reused only under the same key (origin, proxy, trust). */
  readonly key: string;
  /** The origin the socket connects to: the server, or the proxy for a forwarded request. */
  readonly origin: string;
  readonly trust: TrustOptions;
  /** Offer HTTP/2 by ALPN (https origins only). */
  readonly allowH2: boolean;
  /** Wraps the client, e.g. to write proxy-forwarded requests; none: the client itself. */
  readonly wrap?: (client: Client) => Dispatcher;
  /** The proxy the requests go through (forwarding), for errors; none: direct. */
  readonly proxy?: ProxyRoute;
}

/** One connection (one socket) and who is using it. */
interface Entry {
  readonly client: Client;
  readonly dispatcher: Dispatcher;
  /** The handshake chose HTTP/2: borrowers share the connection, each with its streams. */
  h2: boolean;
  borrowers: number;
}

/**
 * The engine's own connections: one undici Client (one socket) per lease over HTTP/1.1, one
 * shared Client per origin over HTTP/2.
 *
 * A shared undici Agent opens a fresh socket whenever none of its idle ones is free at that
 * very instant, and undici frees a socket a tick after its response ends: a connection that
 * sent its next request at once landed on a new socket, and the host saw more connections
 * for one file than the file's limit. Leasing whole connections makes every HTTP/1.1 socket
 * belong to exactly one borrower at a time, so a file's connection count is the host's socket
 * count, while idle sockets still carry the next file of the same host (keep-alive across
 * files). Over HTTP/2 a borrower is a stream: once a connection is known to speak h2 (ALPN),
 * the next borrowers of its origin share it, so a file's connections are streams of one
 * socket, as browsers do it, and the per-file limit bounds the streams.
 */
export class HostConnections {
  private readonly idle = new Map<string, Entry[]>();
  /** HTTP/2 connections with borrowers, open to more. */
  private readonly shared = new Map<string, Entry[]>();
  private readonly all = new Set<Entry>();

  constructor(private readonly connectTimeoutMs: number) {}

  lease(target: LeaseTarget): ConnectionLease {
    const entry = this.takeShared(target.key) ?? this.takeIdle(target.key) ?? this.connect(target);
    entry.borrowers += 1;
    if (entry.h2) this.share(target.key, entry);
    let released = false;
    return {
      dispatcher: entry.dispatcher,
      viaProxy: target.proxy !== undefined,
      ...(target.proxy === undefined ? {} : { proxy: target.proxy }),
      release: (reusable) => {
        if (released) return;
        released = true;
        entry.borrowers -= 1;
        this.returned(target.key, entry, reusable);
      },
    };
  }

  /** Closes every connection, lent or idle. */
  async close(): Promise<void> {
    const entries = [...this.all];
    this.all.clear();
    this.idle.clear();
    this.shared.clear();
    await Promise.all(entries.map((entry) => entry.client.destroy().catch(() => undefined)));
  }

  /** Drops idle connections (e.g. after the trusted certificates changed). */
  dropIdle(): void {
    for (const list of this.idle.values()) for (const entry of list) this.drop(entry);
    this.idle.clear();
  }

  private connect(target: LeaseTarget): Entry {
    const holder: { entry?: Entry } = {};
    const connect = createConnector({
      timeoutMs: this.connectTimeoutMs,
      allowH2: target.allowH2,
      trust: target.trust,
      onConnected: (socket) => {
        // Known before the first request is written: the next borrower can share it.
        const entry = holder.entry;
        if (entry !== undefined && socket?.alpnProtocol === 'h2') {
          entry.h2 = true;
          // undici sends one request at a time unless told otherwise, h2 or not.
          entry.client.pipelining = MAX_STREAMS_PER_CONNECTION;
          if (entry.borrowers > 0) this.share(target.key, entry);
        }
      },
    });
    const client = new Client(target.origin, {
      connect,
      allowH2: target.allowH2,
      ...(target.allowH2 ? { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION } : {}),
    });
    const entry: Entry = {
      client,
      dispatcher: target.wrap?.(client) ?? client,
      h2: false,
      borrowers: 0,
    };
    holder.entry = entry;
    this.all.add(entry);
    return entry;
  }

  private returned(key: string, entry: Entry, reusable: boolean): void {
    const alive = !entry.client.closed && !entry.client.destroyed && this.all.has(entry);
    if (entry.h2) {
      // A cut response resets its stream only; the connection stays good for the others.
      if (!alive) {
        this.unshare(key, entry);
        this.drop(entry);
      } else if (entry.borrowers === 0) {
        this.unshare(key, entry);
        this.putIdle(key, entry);
      }
      return;
    }
    if (reusable && alive) this.putIdle(key, entry);
    else this.drop(entry);
  }

  private takeShared(key: string): Entry | undefined {
    const list = this.shared.get(key);
    return list?.find(
      (entry) =>
        entry.borrowers < MAX_STREAMS_PER_CONNECTION &&
        !entry.client.closed &&
        !entry.client.destroyed,
    );
  }

  private share(key: string, entry: Entry): void {
    const list = this.shared.get(key) ?? [];
    if (!list.includes(entry)) list.push(entry);
    this.shared.set(key, list);
  }

  private unshare(key: string, entry: Entry): void {
    const list = this.shared.get(key);
    if (list === undefined) return;
    const rest = list.filter((e) => e !== entry);
    if (rest.length === 0) this.shared.delete(key);
    else this.shared.set(key, rest);
  }

  private takeIdle(key: string): Entry | undefined {
    const list = this.idle.get(key);
    let entry = list?.pop();
    while (entry !== undefined && (entry.client.closed || entry.client.destroyed)) {
      this.drop(entry);
      entry = list?.pop();
    }
    if (list?.length === 0) this.idle.delete(key);
    return entry;
  }

  private putIdle(key: string, entry: Entry): void {
    const list = this.idle.get(key) ?? [];
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      this.drop(entry);
      return;
    }
    list.push(entry);
    this.idle.set(key, list);
  }

  private drop(entry: Entry): void {
    this.all.delete(entry);
    void entry.client.destroy().catch(() => undefined);
  }
}
