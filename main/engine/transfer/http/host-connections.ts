import { Client } from 'undici';
import type { ConnectionLease } from '../types.js';

/** Idle keep-alive connections kept per origin for the next file of that host. */
const MAX_IDLE_PER_ORIGIN = 8;

/**
 * The engine's direct connections, one undici Client (one socket) per lease.
 *
 * A shared undici Agent opens a fresh socket whenever none of its idle ones is free at that
 * very instant, and undici frees a socket a tick after its response ends: a connection that
 * sent its next request at once landed on a new socket, and the host saw more connections
 * for one file than the file's limit. Leasing whole connections makes every socket belong to
 * exactly one borrower at a time, so a file's connection count is the host's socket count,
 * while idle sockets still carry the next file of the same host (keep-alive across files).
 */
export class HostConnections {
  private readonly idle = new Map<string, Client[]>();
  private readonly all = new Set<Client>();

  constructor(private readonly connectTimeoutMs: number) {}

  lease(url: URL): ConnectionLease {
    const origin = url.origin;
    const client = this.takeIdle(origin) ?? this.connect(origin);
    let released = false;
    return {
      dispatcher: client,
      viaProxy: false,
      release: (reusable) => {
        if (released) return;
        released = true;
        if (reusable && !client.closed && !client.destroyed) this.putIdle(origin, client);
        else this.drop(client);
      },
    };
  }

  /** Closes every connection, lent or idle. */
  async close(): Promise<void> {
    const clients = [...this.all];
    this.all.clear();
    this.idle.clear();
    await Promise.all(clients.map((client) => client.destroy().catch(() => undefined)));
  }

  private connect(origin: string): Client {
    const client = new Client(origin, { connect: { timeout: this.connectTimeoutMs } });
    this.all.add(client);
    return client;
  }

  private takeIdle(origin: string): Client | undefined {
    const list = this.idle.get(origin);
    const client = list?.pop();
    if (list?.length === 0) this.idle.delete(origin);
    return client;
  }

  private putIdle(origin: string, client: Client): void {
    const list = this.idle.get(origin) ?? [];
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      this.drop(client);
      return;
    }
    list.push(client);
    this.idle.set(origin, list);
  }

  private drop(client: Client): void {
    this.all.delete(client);
    void client.destroy().catch(() => undefined);
  }
}
