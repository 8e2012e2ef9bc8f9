import { createHash } from 'node:crypto';

/** A short one-way digest of a value, as the host computes it for engine.info's `network`. */
export function valueDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
