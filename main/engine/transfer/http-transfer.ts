import { finishBody, openHttpResponse } from './http/http-open.js';
import type { AcceptedBody, OpenedResponse } from './http/http-open.js';
import { receiveLinear } from './http/linear-body.js';
import { RangeSet, validSpans } from './range-set.js';
import type { ByteSpan } from './range-set.js';
import { TempFile, setTempFileLength, syncTempFile } from './disk/temp-file.js';
import { bodyStreamError, sourceChangedError, transferBugError } from './map-error.js';
import { bodyStartsWith, needsOverlapCheck, overlapStart } from './http/resume-overlap.js';
import { receiveSegmented } from './segmented/receive-segmented.js';
import type {
  FileTransferRequest,
  FileTransferResult,
  RemoteValidator,
  SegmentationOptions,
  TransferCallbacks,
} from './types.js';

/** Without segmentation options a file is fetched over one connection. */
const ONE_CONNECTION: SegmentationOptions = {
  connections: () => 1,
  minSegmentSize: Number.MAX_SAFE_INTEGER,
  stallTimeoutMs: 0,
};

/**
 * Fetches one http(s) file into its temporary file: the one pipeline for every http(s) file.
 *
 * The first request is a plain GET for a new file, or a range from the first missing byte
 * (with If-Range) on a resume; without a validator for If-Range, from 64 KiB earlier, and
 * those bytes must equal the ones on disk (http/resume-overlap.ts). Its answer decides: a
 * file with a size, worth splitting (two minimum segments or more) and allowed several
 * connections, or whose record already has ranges, becomes a sparse temporary file fetched
 * over several connections (SegmentedDownload); any other is read to the end over this first
 * connection. One restart rule covers both: a
 * file that changed under the transfer (a different size or validator, ranges no longer
 * honoured) is started over once, cleanly: the record is reset first (`onStart` with
 * `restarted`), then the file.
 *
 * Callback order (see TransferCallbacks): `onStart` once a response is accepted; `onProgress`
 * at most every ~100 ms; `onCheckpoint` only after the bytes it reports are written (and
 * synced, when it says durable), always once at the end, synced when the file is complete.
 * Rejects with a FerryError, or with `req.signal.reason` when aborted. The file handle and the
 * connections are released on every path.
 */
export async function transferHttp(
  req: FileTransferRequest,
  cb: TransferCallbacks,
): Promise<FileTransferResult> {
  let options = req.segmentation ?? ONE_CONNECTION;
  let done = recordedSpans(req);
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await transferOnce(req, cb, options, done);
      if (result !== 'ranges-ignored') return result;
      if (options === ONE_CONNECTION) {
        throw transferBugError('A file over one connection asked for ranges');
      }
      // The server ignores ranges: start over from zero as one plain GET, once.
      options = ONE_CONNECTION;
      await restartFromZero(req, cb);
      done = [];
      continue;
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      const changed = (error as { code?: unknown }).code === 'FILE_SOURCE_CHANGED';
      if (!changed || attempt > 0) throw error;
      await restartFromZero(req, cb);
      done = [];
    }
  }
}

/** Forgets the file's bytes: the record first (nothing is trusted any more), then the file. */
async function restartFromZero(req: FileTransferRequest, cb: TransferCallbacks): Promise<void> {
  cb.onStart({
    offset: 0,
    totalBytes: null,
    validator: NO_VALIDATOR,
    restarted: true,
    finalUrl: req.remoteUrl,
  });
  await setTempFileLength(req.tempPath, 0);
}

const NO_VALIDATOR: RemoteValidator = { etag: null, lastModified: null };

/** The ranges the record says are on disk: its segments, or [0, offset) of a linear file. */
function recordedSpans(req: FileTransferRequest): ByteSpan[] {
  if (req.segments !== undefined && req.segments !== null) {
    return req.totalBytes !== null && validSpans(req.segments, req.totalBytes)
      ? [...req.segments]
      : [];
  }
  return req.offset > 0 ? [[0, req.offset]] : [];
}

async function transferOnce(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  options: SegmentationOptions,
  recorded: readonly ByteSpan[],
): Promise<FileTransferResult | 'ranges-ignored'> {
  req.signal.throwIfAborted();
  let done = new RangeSet(recorded);
  const total = req.totalBytes;
  if (total !== null && done.size > 0 && done.gaps(total).length === 0) {
    // Every byte is on disk already (a kill after the last checkpoint, before the end): it
    // still has to be synced before the file is recorded as transferred.
    return completeOnDisk(req, cb, total, req.validator ?? NO_VALIDATOR, req.remoteUrl, done);
  }
  // A linear record of a file of unknown size resumes from its end; any other from its first gap.
  const from = total === null ? done.size : (done.gaps(total)[0]?.[0] ?? 0);
  const resuming = from > 0;
  // Without a validator for If-Range, the bytes before `from` are asked again and compared.
  const checkFrom = resuming && needsOverlapCheck(req.validator) ? overlapStart(done, from) : from;
  // Open before the request: the body must be read as soon as it comes, since undici drops
  // what it buffered when the server closes before the reader starts.
  const file = await TempFile.open(req.tempPath);
  let opened: OpenedResponse;
  let onDisk: Buffer | undefined;
  try {
    if (checkFrom < from) onDisk = await file.read(checkFrom, from - checkFrom);
    opened = await openHttpResponse(
      resuming ? req : { ...req, offset: 0, totalBytes: null, validator: null },
      checkFrom,
    );
  } catch (error) {
    await file.close();
    throw error;
  }
  if (opened.kind === 'complete') {
    await file.close();
    return completeOnDisk(req, cb, opened.totalBytes, opened.validator, opened.url.href, done);
  }
  if (
    onDisk !== undefined &&
    opened.offset === checkFrom &&
    (total === null || opened.totalBytes === total)
  ) {
    opened = await skipOverlap(opened, onDisk, from, file);
  }
  const restarted = resuming && opened.offset === 0;
  cb.onStart({
    offset: opened.offset,
    totalBytes: opened.totalBytes,
    validator: opened.validator,
    restarted,
    finalUrl: opened.url.href,
    contentDisposition: opened.contentDisposition,
    ...(opened.announcedDigest == null ? {} : { announcedDigest: opened.announcedDigest }),
  });
  if (restarted) done = new RangeSet();
  const size = opened.totalBytes;
  if (size === null || !splits(options, done, size, opened)) {
    return receiveLinear(req, cb, opened, file);
  }
  return receiveSegmented(req, cb, options, opened, size, done, file);
}

/**
 * Reads the overlap at the start of a resumed body (the bytes before `from`, asked again since
 * the file has no validator) and compares it with the bytes on disk: the same, the body reads
 * on from `from`; different (or cut short on disk), the file changed and starts over
 * (FILE_SOURCE_CHANGED, which `transferHttp` answers with one restart from zero).
 */
async function skipOverlap(
  opened: AcceptedBody,
  onDisk: Buffer,
  from: number,
  file: TempFile,
): Promise<AcceptedBody> {
  const length = from - opened.offset;
  let same: boolean;
  try {
    same = onDisk.length === length && (await bodyStartsWith(opened.body, onDisk));
  } catch (error) {
    finishBody(opened);
    await file.close();
    throw bodyStreamError(error, opened.url, {
      received: 0,
      expected: opened.end === null ? null : opened.end - opened.offset,
      viaProxy: opened.viaProxy,
    });
  }
  if (!same) {
    finishBody(opened);
    await file.close();
    throw sourceChangedError(
      opened.url,
      `no validator, and the ${length} bytes before byte ${from} differ from those on disk`,
    );
  }
  return { ...opened, offset: from };
}

/**
 * Whether the file goes over several connections: always when its record has ranges other
 * than a prefix (only that path resumes them), else when it may use more than one connection
 * and is a resume or worth two minimum segments.
 */
function splits(
  options: SegmentationOptions,
  done: RangeSet,
  size: number,
  opened: AcceptedBody,
): boolean {
  const prefix = done.size === opened.offset && done.gaps(size)[0]?.[0] === opened.offset;
  if (!prefix) return true;
  if (options.connections() <= 1) return false;
  return done.size > 0 || size >= 2 * options.minSegmentSize;
}

/** The file is whole on disk: sync it, then report it (data first, then the record). */
async function completeOnDisk(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  total: number,
  validator: RemoteValidator,
  finalUrl: string,
  done: RangeSet,
): Promise<FileTransferResult> {
  cb.onStart({ offset: total, totalBytes: total, validator, restarted: false, finalUrl });
  await syncTempFile(req.tempPath);
  const spans = done.toArray();
  cb.onCheckpoint(total, spans.length === 1 ? undefined : spans, true);
  return { totalBytes: total, validator, finalUrl };
}
