/**
 * A job's own transfer limits, on top of the engine-wide settings.
 *
 * `connectionsPerFile` null follows the engine's setting; a number (1–16) overrides it for this
 * job. `speedLimit` is in bytes per second across all the job's connections; 0 is unlimited.
 * `completeWhenTransferred` asks the host to call Complete as soon as the job reaches
 * TRANSFERRED (what a BITS application does in its JobTransferred callback), so its files
 * appear at their final names at once; jobs created with `ferry create` leave it off and keep
 * BITS's explicit Complete.
 */
export interface TransferPolicy {
  readonly connectionsPerFile: number | null;
  readonly speedLimit: number;
  readonly completeWhenTransferred: boolean;
}

/** Transfer policy of a new job: engine defaults, no own speed limit, explicit Complete. */
export const DEFAULT_TRANSFER_POLICY: TransferPolicy = {
  connectionsPerFile: null,
  speedLimit: 0,
  completeWhenTransferred: false,
};

/** Most connections Ferry opens for one file to one host (aria2's politeness cap). */
export const MAX_CONNECTIONS_PER_FILE = 16;
