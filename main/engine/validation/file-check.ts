import type { FileRecord } from '../job-record.js';
import { resetWatermarks } from '../file-watermarks.js';
import type { TransferStart } from '../transfer/types.js';
import type { ExpectedDigest } from '../../../app/model/validation.js';
import { InOrderHash } from './content-hash.js';
import { verifyFileDigest } from './file-validation.js';

/**
 * The content check of one file during one transfer attempt (validation before Complete).
 *
 * Learns the digest a response announces (a digest the user gave wins), hashes the bytes the
 * transfer writes while they arrive in order (`tap`), and once the file is whole checks it:
 * with that hash, or by reading the file once when it was resumed or fetched in segments.
 */
export class FileCheck {
  private inOrder: InOrderHash | null;

  constructor(private readonly file: FileRecord) {
    const digest = file.validation.digest;
    this.inOrder = digest === null ? null : new InOrderHash(digest.algorithm);
  }

  /** Sees every byte the transfer writes in order from the start (FileTransferRequest.contentHash). */
  readonly tap = {
    update: (offset: number, chunk: Uint8Array): void => {
      this.inOrder?.update(offset, chunk);
    },
  };

  /**
   * Before the transfer: a file whose digest is to be read from a checksum file the user
   * named (and was not read in an earlier run) gets it now, so a missing or wrong checksum
   * file fails before any byte of the file is fetched.
   */
  async prepare(read: (url: string) => Promise<ExpectedDigest>): Promise<void> {
    const { digest, checksumUrl } = this.file.validation;
    if (digest !== null || checksumUrl === null) return;
    const found = await read(checksumUrl);
    this.file.validation = { ...this.file.validation, digest: found };
    this.inOrder = new InOrderHash(found.algorithm);
  }

  /** A response was accepted: its announced digest becomes the file's, unless the user gave one. */
  started(start: TransferStart): void {
    const announced = start.announcedDigest;
    const current = this.file.validation.digest;
    // What the user gave (a digest, a checksum file) wins over what a response announces.
    if (announced === undefined || announced === null) return;
    if (current !== null && current.source !== 'server') return;
    if (current?.algorithm === announced.algorithm && current.hex === announced.hex) return;
    // Stored with the file's row by the start's first checkpoint, so a resume still checks it.
    this.file.validation = {
      ...this.file.validation,
      digest: announced,
      outcome: 'unchecked',
      valid: false,
    };
    if (this.inOrder?.algorithm !== announced.algorithm) {
      this.inOrder = new InOrderHash(announced.algorithm);
    }
  }

  /**
   * The file's `size` bytes are on disk: checks them against the digest (nothing to do without
   * one). A mismatch marks the file, forgets its bytes (the record first: Resume downloads it
   * again from zero) and throws FILE_VALIDATION_FAILED, which fails the job (ERROR).
   */
  async verify(size: number, signal: AbortSignal, save: () => void): Promise<void> {
    const digest = this.file.validation.digest;
    if (digest === null) return;
    const { index, localName, tempName } = this.file;
    const failure = await verifyFileDigest(
      { index, localName, tempName, size },
      digest,
      this.inOrder,
      signal,
    );
    if (failure !== null) {
      this.file.validation = { ...this.file.validation, outcome: 'mismatch', valid: false };
      resetWatermarks(this.file);
      this.file.bytesLive = 0;
      save();
      throw failure;
    }
    this.file.validation = { ...this.file.validation, outcome: 'verified', valid: true };
  }
}
