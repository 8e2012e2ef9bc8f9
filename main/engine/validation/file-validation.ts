import { FerryError } from '../../../app/index.js';
import type { ExpectedDigest } from '../../../app/model/validation.js';
import { hashFile } from './content-hash.js';
import type { InOrderHash } from './content-hash.js';

/** The file a check is about, as errors name it. */
export interface CheckedFile {
  readonly index: number;
  readonly localName: string;
  /** Where its bytes are (the temporary file until Complete). */
  readonly tempName: string;
  readonly size: number;
}

/**
 * Checks a finished file against its expected digest: with the hash taken while it arrived in
 * order when there is one, else by reading the file once. Resolves to null when it matches,
 * else to the FILE_VALIDATION_FAILED error naming the file, the expected and the actual digest.
 */
export async function verifyFileDigest(
  file: CheckedFile,
  expected: ExpectedDigest,
  inOrder: InOrderHash | null,
  signal?: AbortSignal,
): Promise<FerryError | null> {
  const received = inOrder?.algorithm === expected.algorithm ? inOrder.digestOf(file.size) : null;
  const actual = received ?? (await hashFile(file.tempName, expected.algorithm, signal));
  if (actual === expected.hex) return null;
  const from = expected.source === 'user' ? 'given when it was added' : 'announced by the server';
  return new FerryError(
    'FILE_VALIDATION_FAILED',
    'REMOTE_FILE',
    `File ${file.index} (${file.localName}) failed validation: expected ${expected.algorithm} ${expected.hex} (${from}), got ${actual}; it will be downloaded again on Resume`,
    { fileIndex: file.index },
  );
}

/** The error of SetValidationState(false) on a file (BITS' BG_E_VALIDATION_FAILED). */
export function rejectedByCallerError(file: Pick<CheckedFile, 'index' | 'localName'>): FerryError {
  return new FerryError(
    'FILE_VALIDATION_FAILED',
    'REMOTE_FILE',
    `File ${file.index} (${file.localName}) was marked invalid (SetValidationState false); it will be downloaded again on Resume`,
    { fileIndex: file.index },
  );
}
