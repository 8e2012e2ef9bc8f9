import { open } from 'node:fs/promises';
import { FerryError } from '../../../app/index.js';
import { finishBody, openHttpResponse } from './http-open.js';
import type { AcceptedBody } from './http-open.js';
import { receiveLinear } from './http-transfer.js';
import { localFileError } from './map-error.js';
import { RangeSet, validSpans } from './range-set.js';
import type { ByteSpan } from './range-set.js';
import { SegmentFile } from './segment-file.js';
import { SegmentedDownload } from './segmented-transfer.js';
import type {
  FileTransferRequest,
  FileTransferResult,
  SegmentationOptions,
  TransferCallbacks,
} from './types.js';

/**
 * Fetches one http(s) file over several connections when the server allows it.
 *
 * The first request is the one a single-connection transfer would send: a plain GET for a new
 * file, or a range from the first missing byte with If-Range on a resume. When its answer gives
 * the size and the file is worth splitting (two minimum segments or more), the file becomes a
 * sparse temporary file of its full size and more connections fetch the other ranges (see
 * SegmentedDownload); checkpoints then report the ranges on disk. Otherwise the first response
 * is simply streamed to the end, as over one connection. A file that changed under the
 * transfer (a different size or validator in a ranged answer, or a server that stopped
 * honouring ranges) is started over once, cleanly: the record is reset first, then the file.
 */
export async function transferHttpSegmented(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  options: SegmentationOptions,
): Promise<FileTransferResult> {
  let done = recordedSpans(req);
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptSegmented(req, cb, options, done);
    } catch (error) {
      const changed = (error as { code?: unknown }).code === 'FILE_SOURCE_CHANGED';
      if (req.signal.aborted) throw req.signal.reason;
      if (!changed || attempt > 0) throw error;
      // Record first (nothing is trusted any more), then empty the file.
      cb.onStart({
        offset: 0,
        totalBytes: null,
        validator: { etag: null, lastModified: null },
        restarted: true,
        finalUrl: req.remoteUrl,
      });
      await truncateFile(req.tempPath, 0);
      done = [];
    }
  }
}

/** The ranges the record says are on disk. */
function recordedSpans(req: FileTransferRequest): ByteSpan[] {
  if (req.segments !== undefined && req.segments !== null) {
    return req.totalBytes !== null && validSpans(req.segments, req.totalBytes)
      ? [...req.segments]
      : [];
  }
  return req.offset > 0 ? [[0, req.offset]] : [];
}

async function attemptSegmented(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  options: SegmentationOptions,
  recorded: readonly ByteSpan[],
): Promise<FileTransferResult> {
  req.signal.throwIfAborted();
  let done = new RangeSet(recorded);
  const total = req.totalBytes;
  const gaps = total === null ? [] : done.gaps(total);
  const resuming = done.size > 0 && total !== null;
  if (resuming && gaps.length === 0) {
    // Everything is on disk already (a kill after the last checkpoint, before the end).
    cb.onCheckpoint(total, done.toArray(), false);
    return {
      totalBytes: total,
      validator: req.validator ?? nullValidator(),
      finalUrl: req.remoteUrl,
    };
  }
  const from = resuming ? (gaps[0]?.[0] ?? 0) : 0;
  const opened = await openHttpResponse(
    resuming ? req : { ...req, offset: 0, totalBytes: null, validator: null },
    from,
  );
  if (opened.kind === 'complete') {
    throw new FerryError('INTERNAL', 'UNKNOWN', 'A range inside the file was answered as complete');
  }
  const restarted = resuming && opened.offset === 0;
  cb.onStart({
    offset: opened.offset,
    totalBytes: opened.totalBytes,
    validator: opened.validator,
    restarted,
    finalUrl: opened.url.href,
  });
  if (restarted) done = new RangeSet();
  const size = opened.totalBytes;
  if (done.size === 0 && (size === null || size < 2 * options.minSegmentSize)) {
    // Too small to split, or no size: one connection, as a plain transfer.
    return receiveLinear(req, cb, opened);
  }
  if (size === null) {
    throw new FerryError('INTERNAL', 'UNKNOWN', 'A resumed segmented file has no size');
  }
  return receiveSegmented(req, cb, options, opened, size, done);
}

async function receiveSegmented(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  options: SegmentationOptions,
  opened: AcceptedBody,
  size: number,
  done: RangeSet,
): Promise<FileTransferResult> {
  if (done.size === 0) await truncateFile(req.tempPath, 0);
  let file: SegmentFile;
  try {
    file = await SegmentFile.open(req.tempPath, size, done.toArray(), req.checkpoint, {
      onProgress: (bytes) => {
        cb.onProgress(bytes);
      },
      onCheckpoint: (spans, bytes, durable) => {
        cb.onCheckpoint(bytes, spans, durable);
      },
    });
  } catch (error) {
    finishBody(opened);
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
    try {
      await download.run({
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
    if (failure !== undefined) {
      await file.checkpoint(false).catch(() => undefined);
      throw failure.error;
    }
    await file.checkpoint();
    return { totalBytes: size, validator: opened.validator, finalUrl: opened.url.href };
  } finally {
    finishBody(opened);
    await file.close();
  }
}

function nullValidator(): { etag: null; lastModified: null } {
  return { etag: null, lastModified: null };
}

async function truncateFile(path: string, length: number): Promise<void> {
  try {
    const fh = await open(path, 'r+').catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return open(path, 'w');
      throw error;
    });
    try {
      await fh.truncate(length);
    } finally {
      await fh.close();
    }
  } catch (error) {
    throw localFileError(error, path);
  }
}
