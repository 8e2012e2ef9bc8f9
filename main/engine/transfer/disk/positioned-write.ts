import type { FileHandle } from 'node:fs/promises';

/**
 * Positioned writes of a list of buffers, shared by the single-connection writer and the
 * segmented file.
 */

/** Writes all of `buffers` at `position`, continuing after short writes. */
export async function writeAll(
  fh: FileHandle,
  buffers: readonly Buffer[],
  position: number,
): Promise<void> {
  let list = buffers;
  let at = position;
  for (;;) {
    const total = list.reduce((sum, b) => sum + b.length, 0);
    if (total === 0) return;
    const first = list[0];
    const { bytesWritten } =
      list.length === 1 && first !== undefined
        ? await fh.write(first, 0, first.length, at)
        : await fh.writev(list, at);
    if (bytesWritten >= total) return;
    if (bytesWritten <= 0) {
      throw Object.assign(new Error(`Short write at ${at}`), { code: 'EIO' });
    }
    at += bytesWritten;
    list = dropBytes(list, bytesWritten);
  }
}

/** `buffers` without their first `count` bytes (views, no copies). */
function dropBytes(buffers: readonly Buffer[], count: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = count;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    out.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return out;
}
