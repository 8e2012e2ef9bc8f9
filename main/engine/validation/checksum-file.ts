import { FerryError } from '../../../app/index.js';
import { algorithmOfHex } from '../../../app/model/validation.js';
import type { ExpectedDigest } from '../../../app/model/validation.js';
import { displayUrl } from '../error-chain.js';
import { finishBody, openHttpResponse } from '../transfer/http/http-open.js';
import type { FileTransferRequest } from '../transfer/types.js';

/** A checksum file is small: more than this is not one (SHA256SUMS of a large release is ~10 KiB). */
const MAX_CHECKSUM_FILE = 1024 * 1024;

/**
 * The digest a checksum file gives for `fileName`, in the formats sha256sum / md5sum write
 * (`hex  name`, `hex *name`), the BSD tag format (`SHA256 (name) = hex`), or a file holding a
 * bare digest (a `.sha256` beside the download). A file listing several names (SHA256SUMS) is
 * searched for the one named `fileName`; a single entry is taken whatever its name. The
 * algorithm is told by the digest's length. Returns a sentence when nothing fits.
 */
export function digestFromChecksumFile(text: string, fileName: string): ExpectedDigest | string {
  const entries: { name: string | null; hex: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const bsd = /^[A-Za-z0-9-]+ \((.+)\) = ([0-9a-fA-F]+)$/.exec(line);
    const gnu = /^\\?([0-9a-fA-F]+)(?:\s+\*?(.+))?$/.exec(line);
    if (bsd !== null) entries.push({ name: bsd[1] ?? null, hex: (bsd[2] ?? '').toLowerCase() });
    else if (gnu !== null)
      entries.push({ name: gnu[2] ?? null, hex: (gnu[1] ?? '').toLowerCase() });
  }
  const base = (name: string): string => name.split('/').at(-1) ?? name;
  const named = entries.filter((e) => e.name !== null && base(e.name) === fileName);
  const entry = named[0] ?? (entries.length === 1 ? entries[0] : undefined);
  if (entry === undefined) {
    return entries.length === 0
      ? 'it holds no digest'
      : `it lists ${entries.length} digests, none for ${fileName}`;
  }
  const algorithm = algorithmOfHex(entry.hex);
  if (algorithm === null) {
    return `its digest has ${entry.hex.length} hex digits, not those of SHA-256, SHA-512, SHA-1 or MD5`;
  }
  return { algorithm, hex: entry.hex, source: 'checksum-file' };
}

/** The file name a URL ends with, percent-decoded when that is valid. */
function lastSegment(fileUrl: string): string {
  const raw = new URL(fileUrl).pathname.split('/').at(-1) ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Reads the checksum file at `url` over the job's connections (its proxy, credentials, custom
 * headers and redirects, as the file itself), and returns the digest it gives for the file
 * at `fileUrl`. HTTP failures are the transfer's own errors, naming the checksum file's URL;
 * a file that gives no usable digest is FILE_VALIDATION_FAILED.
 */
export async function fetchFileDigest(
  url: string,
  fileUrl: string,
  req: Omit<FileTransferRequest, 'remoteUrl' | 'offset' | 'totalBytes' | 'validator'>,
  fileIndex: number,
): Promise<ExpectedDigest> {
  const opened = await openHttpResponse(
    { ...req, remoteUrl: url, offset: 0, totalBytes: null, validator: null },
    0,
  );
  let text = '';
  if (opened.kind === 'body') {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of opened.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_CHECKSUM_FILE) break;
        chunks.push(chunk);
      }
    } finally {
      finishBody(opened);
    }
    text = Buffer.concat(chunks).toString('utf8');
  }
  const name = lastSegment(fileUrl);
  const digest = digestFromChecksumFile(text, name);
  if (typeof digest !== 'string') return digest;
  throw new FerryError(
    'FILE_VALIDATION_FAILED',
    'REMOTE_FILE',
    `File ${fileIndex} cannot be checked: the checksum file ${displayUrl(url)} gives no digest for it (${digest})`,
    { fileIndex },
  );
}
