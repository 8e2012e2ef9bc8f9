import type { FileRecord } from './job-record.js';
import type { ByteSpan } from './transfer/range-set.js';

/**
 * Durability by boot: what a file record may trust of its temporary file.
 *
 * A crash of the process (SIGKILL, an app crash, an OOM kill) loses nothing that write()
 * returned: the kernel keeps those pages and writes them out later. Only a crash of the OS or
 * a power loss does. So a record keeps two watermarks, bytes written and bytes durable (after
 * fdatasync), and the identity of the boot in which the written one was recorded. A restart in
 * the same boot resumes from the written watermark; after a reboot only the durable one is
 * trusted. That keeps fdatasync off the hot path: it runs on a long cadence beside the writes,
 * and always before a file is recorded as transferred.
 */

/** Forgets every byte of the file (a restart from zero, a missing temporary file). */
export function resetWatermarks(file: FileRecord): void {
  file.bytesOnDisk = 0;
  file.segments = null;
  file.bytesDurable = 0;
  file.segmentsDurable = null;
}

/** Records a checkpoint: these bytes are written in boot `bootId`, and durable if synced. */
export function recordCheckpoint(
  file: FileRecord,
  bytes: number,
  segments: readonly ByteSpan[] | undefined,
  durable: boolean,
  bootId: string,
): void {
  // One range from byte 0 is the same record as a front-to-back file.
  const [only] = segments ?? [];
  file.segments =
    segments === undefined || (segments.length === 1 && only?.[0] === 0)
      ? null
      : segments.map(([start, end]) => [start, end] as const);
  file.bytesOnDisk = bytes;
  file.bootId = bootId;
  if (durable) {
    file.bytesDurable = bytes;
    file.segmentsDurable = file.segments;
  }
}

/**
 * Lowers the record to what a restart in boot `bootId` may trust: everything written when it
 * is the boot of the record, else only the durable bytes. Returns whether the record changed.
 */
export function trustForBoot(file: FileRecord, bootId: string): boolean {
  if (file.transferred || file.bootId === null || file.bootId === bootId) return false;
  const changed =
    file.bytesOnDisk !== file.bytesDurable ||
    JSON.stringify(file.segments) !== JSON.stringify(file.segmentsDurable);
  file.bytesOnDisk = file.bytesDurable;
  file.segments = file.segmentsDurable;
  file.bootId = bootId;
  return changed;
}

/** The temporary file holds only `size` bytes: neither watermark may claim more. */
export function lowerWatermarks(file: FileRecord, size: number): void {
  file.bytesOnDisk = Math.min(file.bytesOnDisk, size);
  file.bytesDurable = Math.min(file.bytesDurable, size);
}
