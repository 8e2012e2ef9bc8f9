/**
 * A job's own transfer limits, on top of the engine-wide settings.
 *
 * `connectionsPerFile` null follows the engine's setting; a number (1–16) overrides it for this
 * job. `speedLimit` is in bytes per second across all the job's connections; 0 is unlimited.
 */
export interface TransferPolicy {
  readonly connectionsPerFile: number | null;
  readonly speedLimit: number;
}

/** Transfer policy of a new job: engine defaults, no own speed limit. */
export const DEFAULT_TRANSFER_POLICY: TransferPolicy = { connectionsPerFile: null, speedLimit: 0 };

/** Most connections Ferry opens for one file to one host (aria2's politeness cap). */
export const MAX_CONNECTIONS_PER_FILE = 16;
