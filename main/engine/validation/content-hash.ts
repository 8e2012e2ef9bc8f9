import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DigestAlgorithm } from '../../../app/model/validation.js';

/** Node's name for each digest algorithm. */
const NODE_HASH: Readonly<Record<DigestAlgorithm, string>> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
  'sha-1': 'sha1',
  md5: 'md5',
};

/**
 * Hashes a file's bytes as they are received, while they arrive in order from byte 0.
 *
 * A file received front to back over one connection is then checked without reading it again.
 * Bytes from offset 0 start the hash over (a restarted file); bytes anywhere else than where
 * the previous ones ended (a resume, a segment) make it give up, and the file is hashed by
 * reading it once instead (`hashFile`).
 */
export class InOrderHash {
  private hash: Hash | null = null;
  private next = 0;
  private broken = false;

  constructor(readonly algorithm: DigestAlgorithm) {}

  /** Bytes `chunk` received at `offset` of the file. */
  update(offset: number, chunk: Uint8Array): void {
    if (offset === 0) {
      this.hash = createHash(NODE_HASH[this.algorithm]);
      this.next = 0;
      this.broken = false;
    } else if (this.broken || this.hash === null || offset !== this.next) {
      this.broken = true;
      return;
    }
    this.hash.update(chunk);
    this.next += chunk.length;
  }

  /** The digest (hex) when exactly bytes [0, size) went through, else null. */
  digestOf(size: number): string | null {
    if (this.broken || this.hash === null || this.next !== size) return null;
    const hex = this.hash.digest('hex');
    this.hash = null;
    return hex;
  }
}

/** The digest (hex) of a whole file, read once from start to end. */
export async function hashFile(
  path: string,
  algorithm: DigestAlgorithm,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash(NODE_HASH[algorithm]);
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
