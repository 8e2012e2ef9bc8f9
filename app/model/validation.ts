import { z } from 'zod';

/**
 * Validation before Complete (IBackgroundCopyFile3::SetValidationState): a file may carry the
 * digest its content must have, given by the user or announced by the server, and is checked
 * when its last byte is on disk.
 */

/** Digest algorithms a file can be checked with, named as RFC 9530's registry names them. */
export const DIGEST_ALGORITHMS = ['sha-256', 'sha-512', 'sha-1', 'md5'] as const;
/** One digest algorithm. */
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/** Hex digits of each algorithm's digest. */
export const DIGEST_HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  'sha-256': 64,
  'sha-512': 128,
  'sha-1': 40,
  md5: 32,
};

/** Where an expected digest came from. */
export const DIGEST_SOURCES = ['user', 'server', 'checksum-file'] as const;
/**
 * `user`: given with AddFile; `server`: a Repr-Digest or Content-Digest header (RFC 9530);
 * `checksum-file`: read from the checksum file the user named (`f.iso.sha256`, SHA256SUMS).
 */
export type DigestSource = (typeof DIGEST_SOURCES)[number];

/** The digest a file's content must have: lower-case hex. */
export interface ExpectedDigest {
  readonly algorithm: DigestAlgorithm;
  readonly hex: string;
  readonly source: DigestSource;
}

/**
 * What is known of a file's content check.
 *
 * `unchecked`: no digest to check yet, or not finished; `verified`: the digest matched;
 * `mismatch`: it did not (the job went to ERROR and the file starts over on Resume);
 * `rejected`: the caller called SetValidationState(false).
 */
export const VALIDATION_OUTCOMES = ['unchecked', 'verified', 'mismatch', 'rejected'] as const;
/** One validation outcome. */
export type ValidationOutcome = (typeof VALIDATION_OUTCOMES)[number];

/** A file's validation as IBackgroundCopyFile3 reports it, plus the digest behind it. */
export interface FileValidationInfo {
  readonly digest: ExpectedDigest | null;
  readonly outcome: ValidationOutcome;
  /** GetValidationState: true once the digest matched or the caller set it valid. */
  readonly valid: boolean;
  /** IsDownloadedFromPeer: Ferry has no peer caching, so always false. */
  readonly downloadedFromPeer: boolean;
  /** The checksum file the digest is read from before the transfer, when the user named one. */
  readonly checksumUrl: string | null;
}

/** A file without a digest and not validated. */
export const NO_VALIDATION: FileValidationInfo = {
  digest: null,
  outcome: 'unchecked',
  valid: false,
  downloadedFromPeer: false,
  checksumUrl: null,
};

/** The algorithm of a hex digest, told by its length (as sha256sum's and md5sum's files are). */
export function algorithmOfHex(hex: string): DigestAlgorithm | null {
  return DIGEST_ALGORITHMS.find((a) => DIGEST_HEX_LENGTH[a] === hex.length) ?? null;
}

/** A checksum file's URL as AddFile takes it: http(s), at most 8 KiB. */
export const checksumUrlText = z
  .string()
  .max(8192, 'is too long')
  .regex(/^https?:\/\/\S+$/i, 'must be an http or https URL of a checksum file');

/** Spellings users type for each algorithm (`sha256`, `SHA-256`, `sha1`, `md5`…). */
const ALGORITHM_NAMES: Readonly<Record<string, DigestAlgorithm>> = {
  sha256: 'sha-256',
  'sha-256': 'sha-256',
  sha512: 'sha-512',
  'sha-512': 'sha-512',
  sha1: 'sha-1',
  'sha-1': 'sha-1',
  sha: 'sha-1',
  md5: 'md5',
};

/** An algorithm from its usual spellings, or null. */
export function parseDigestAlgorithm(name: string): DigestAlgorithm | null {
  return ALGORITHM_NAMES[name.trim().toLowerCase()] ?? null;
}

/**
 * A user's digest `algorithm:hex` (`sha256:9f86…`, `sha-512:…`, `md5:…`): the expected digest,
 * or a sentence saying what is wrong with it.
 */
export function parseUserDigest(
  text: string,
): { ok: true; digest: ExpectedDigest } | { ok: false; problem: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) {
    return { ok: false, problem: 'must be "algorithm:hex", e.g. sha256:9f86d08…' };
  }
  const name = text.slice(0, colon);
  const algorithm = parseDigestAlgorithm(name);
  if (algorithm === null) {
    return {
      ok: false,
      problem: `names an unknown algorithm '${name}' (use sha256, sha512, sha1 or md5)`,
    };
  }
  const hex = text
    .slice(colon + 1)
    .trim()
    .toLowerCase();
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (!/^[0-9a-f]*$/.test(hex) || hex.length !== length) {
    return { ok: false, problem: `must give ${length} hex digits for ${algorithm}` };
  }
  return { ok: true, digest: { algorithm, hex, source: 'user' } };
}

/**
 * The expected digest of a file as AddFile and the shells take it: `algorithm:hex`
 * (`sha256:9f86…`), parsed into an ExpectedDigest with a sentence for anything wrong.
 */
export const digestText = z
  .string()
  .max(200, 'is too long')
  .transform((text, ctx): ExpectedDigest => {
    const parsed = parseUserDigest(text);
    if (parsed.ok) return parsed.digest;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });

/** An expected digest as results and the store carry it. */
export const expectedDigestSchema = z.strictObject({
  algorithm: z.enum(DIGEST_ALGORITHMS),
  hex: z.string().regex(/^[0-9a-f]+$/, 'must be lower-case hex'),
  source: z.enum(DIGEST_SOURCES),
});
