import type { Command } from 'commander';
import { FerryError, MAX_TRUSTED_CERTIFICATES, parseCertFingerprint } from '../../app/index.js';

/**
 * `--trust-cert FINGERPRINT` (repeatable) on `ferry create` and `ferry transfer`: the job trusts
 * a server certificate by its SHA-256 fingerprint, as a self-signed server's error names it.
 * Checked here, before the job is created, so a typo leaves nothing behind.
 */
export function withTrustCert(command: Command): Command {
  return command.option(
    '--trust-cert <sha256>',
    'trust this server certificate for the job (its SHA-256 fingerprint, as the TLS error names it; repeatable)',
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/** The fingerprints given, normalised; an INPUT_INVALID error naming a bad one. */
export function parseTrustCerts(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    const fingerprint = parseCertFingerprint(value);
    if (fingerprint === null) {
      throw new FerryError(
        'INPUT_INVALID',
        'GENERAL_QUEUE_MANAGER',
        `--trust-cert '${value}' is not a SHA-256 certificate fingerprint (sha256: and 64 hex digits, colons allowed)`,
      );
    }
    if (!out.includes(fingerprint)) out.push(fingerprint);
  }
  if (out.length > MAX_TRUSTED_CERTIFICATES) {
    throw new FerryError(
      'INPUT_INVALID',
      'GENERAL_QUEUE_MANAGER',
      `At most ${MAX_TRUSTED_CERTIFICATES} --trust-cert fingerprints per job`,
    );
  }
  return out;
}
