import { finishBody } from '../http/http-open.js';
import type { AcceptedBody } from '../http/http-open.js';
import type { RangeSet } from '../range-set.js';
import { SegmentFile } from '../disk/segment-file.js';
import type { TempFile } from '../disk/temp-file.js';
import { SegmentedDownload } from './segmented-download.js';
import type { SegmentedOutcome } from './segmented-download.js';
import type {
  FileTransferRequest,
  FileTransferResult,
  SegmentationOptions,
  TransferCallbacks,
} from '../types.js';

/**
 * Fetches a file over several connections into a sparse temporary file of its full size,
 * starting with the first response (`opened`, `onStart` already reported) and the ranges
 * already on disk (`done`); checkpoints report the ranges on disk. Saves what arrived on every
 * path, synced only when the file is complete. 'ranges-ignored' when the server turned out to
 * ignore ranges before the file was whole (see SegmentedOutcome).
 */
export async function receiveSegmented(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  options: SegmentationOptions,
  opened: AcceptedBody,
  size: number,
  done: RangeSet,
  temp: TempFile,
): Promise<FileTransferResult | 'ranges-ignored'> {
  let file: SegmentFile;
  try {
    // A file that starts over drops whatever the temporary file held before it is extended.
    if (done.size === 0) await temp.setLength(0);
    file = await SegmentFile.open(temp, size, done.toArray(), req.checkpoint, {
      onProgress: (bytes) => {
        cb.onProgress(bytes);
      },
      onCheckpoint: (spans, bytes, durable) => {
        cb.onCheckpoint(bytes, spans, durable);
      },
    });
  } catch (error) {
    finishBody(opened);
    await temp.close();
    throw error;
  }
  const gaps = done.gaps(size);
  const firstGap = gaps.find(([start]) => start === opened.offset);
  try {
    const download = new SegmentedDownload(
      req,
      options,
      file,
      {
        url: opened.url,
        sameOrigin: opened.url.origin === new URL(req.remoteUrl).origin,
        totalBytes: size,
        validator: opened.validator,
      },
      gaps,
    );
    let failure: { error: unknown } | undefined;
    let outcome: SegmentedOutcome = 'complete';
    try {
      outcome = await download.run({
        body: opened.body,
        start: opened.offset,
        end: firstGap?.[1] ?? size,
        responseEnd: opened.end ?? size,
        lease: opened.lease,
      });
    } catch (error) {
      failure = { error };
    }
    // Data first, then the record: save what arrived on every path.
    if (failure !== undefined || outcome === 'ranges-ignored') {
      await file.checkpoint(false).catch(() => undefined);
      if (failure !== undefined) throw failure.error;
      return 'ranges-ignored';
    }
    await file.checkpoint();
    return { totalBytes: size, validator: opened.validator, finalUrl: opened.url.href };
  } finally {
    finishBody(opened);
    await file.close();
  }
}
