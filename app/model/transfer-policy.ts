/**
 * A job's own transfer limits, on top of the engine-wide settings.
 *
 * `connectionsPerFile` null follows the engine's setting; a number (1–16) overrides it for this
 * job. `speedLimit` is in bytes per second across all the job's connections; 0 is unlimited.
 * `completeWhenTransferred` asks the host to call Complete as soon as the job reaches
 * TRANSFERRED (what a BITS application does in its JobTransferred callback), so its files
 * appear at their final names at once; jobs created with `ferry create` leave it off and keep
 * BITS's explicit Complete. `trustedCertificates` are the SHA-256 fingerprints
 * (`sha256:` and 64 hex digits) of server certificates this job trusts whoever issued them: a
 * self-signed server is trusted by pinning its certificate, never by turning checks off.
 */
export interface TransferPolicy {
  readonly connectionsPerFile: number | null;
  readonly speedLimit: number;
  readonly completeWhenTransferred: boolean;
  readonly trustedCertificates: readonly string[];
}

/** Transfer policy of a new job: engine defaults, no own speed limit, explicit Complete. */
export const DEFAULT_TRANSFER_POLICY: TransferPolicy = {
  connectionsPerFile: null,
  speedLimit: 0,
  completeWhenTransferred: false,
  trustedCertificates: [],
};

/** Most certificates one job may trust by fingerprint. */
export const MAX_TRUSTED_CERTIFICATES = 16;

/**
 * A certificate fingerprint in its stored form (`sha256:` and 64 lower-case hex digits), from
 * what a user may paste: `sha256:` optional, hex with or without colons, any case (OpenSSL and
 * browsers print `AB:CD:…`). Null when it is not one.
 */
export function parseCertFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha-?256[:=]/i, '')
    .replace(/:/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : null;
}

/** Most connections Ferry opens for one file to one host (aria2's politeness cap). */
export const MAX_CONNECTIONS_PER_FILE = 16;
