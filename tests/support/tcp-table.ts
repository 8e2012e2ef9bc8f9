import { readFileSync } from 'node:fs';

/** TCP state ESTABLISHED in /proc/net/tcp. */
const ESTABLISHED = '01';

/**
 * How many connections to local `port` the kernel holds as established, or null where the
 * kernel does not say (not Linux).
 *
 * The kernel's view is what a host sees: a connection the client has closed (FIN, or RST for
 * unread data) leaves ESTABLISHED at once, while a Node server that is not reading the socket
 * at that moment (a response being written under backpressure pauses it) only notices at its
 * next write.
 */
export function establishedTo(port: number): number | null {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return null;
  }
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  // The table is read in pieces while it changes, so one connection can be listed twice.
  const peers = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const [, localAddress, remoteAddress, state] = line.trim().split(/\s+/);
    if (localAddress?.endsWith(local) === true && state === ESTABLISHED && remoteAddress) {
      peers.add(remoteAddress);
    }
  }
  return peers.size;
}
