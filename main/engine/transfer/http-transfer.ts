import { throttled } from './bandwidth.js';
import { CheckpointedWriter } from './checkpointed-writer.js';
import { finishBody, openHttpResponse } from './http-open.js';
import type { AcceptedBody } from './http-open.js';
import { bodyStreamError, lengthMismatchError } from './map-error.js';
import type { FileTransferRequest, FileTransferResult, TransferCallbacks } from './types.js';

/**
 * Fetches one http(s) file into its temporary file, resuming when the server allows it.
 *
 * Callback order (see TransferCallbacks): `onStart` once a response is accepted, and with
 * `restarted: true` before the file is truncated to zero; `onProgress` at most every ~100 ms;
 * `onCheckpoint(n)` only after [0, n) is written and datasynced, and always once at the end
 * (also after a failure or an abort, for whatever arrived). Rejects with a FerryError, or with
 * `req.signal.reason` when aborted. The file handle and the connection are released on every
 * path.
 */
export async function transferHttp(
  req: FileTransferRequest,
  cb: TransferCallbacks,
): Promise<FileTransferResult> {
  req.signal.throwIfAborted();
  const writer = await CheckpointedWriter.open(req.tempPath, req.checkpoint, cb);
  try {
    // The engine truncated the file to the record; defend against a file that disagrees.
    if (writer.initialSize > req.offset) await writer.truncate(req.offset);
    const canResume = req.offset > 0 && writer.initialSize >= req.offset;
    const opened = await openHttpResponse(req, canResume ? req.offset : 0);
    const finalUrl = opened.url.href;

    if (opened.kind === 'complete') {
      cb.onStart({
        offset: req.offset,
        totalBytes: opened.totalBytes,
        validator: opened.validator,
        restarted: false,
        finalUrl,
      });
      await writer.checkpoint();
      return { totalBytes: opened.totalBytes, validator: opened.validator, finalUrl };
    }

    try {
      const restarted = req.offset > 0 && opened.offset === 0;
      cb.onStart({
        offset: opened.offset,
        totalBytes: opened.totalBytes,
        validator: opened.validator,
        restarted,
        finalUrl,
      });
      // Record first (onStart above), then shrink the file: a crash in between loses nothing.
      if (writer.position !== opened.offset) await writer.truncate(opened.offset);
      await receiveBody(opened, writer, req, cb);
    } finally {
      finishBody(opened);
    }
    return {
      totalBytes: opened.totalBytes ?? writer.position,
      validator: opened.validator,
      finalUrl,
    };
  } catch (error) {
    if (req.signal.aborted) throw req.signal.reason;
    throw error;
  } finally {
    await writer.close();
  }
}

/**
 * Streams an accepted response (from `openHttpResponse`, `onStart` already reported) to the end
 * over this one connection: the segmented transfer's path for files too small to split or of
 * unknown size. Same guarantees as `transferHttp`.
 */
export async function receiveLinear(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  opened: AcceptedBody,
): Promise<FileTransferResult> {
  try {
    const writer = await CheckpointedWriter.open(req.tempPath, req.checkpoint, cb);
    try {
      if (writer.position !== opened.offset) await writer.truncate(opened.offset);
      await receiveBody(opened, writer, req, cb);
      return {
        totalBytes: opened.totalBytes ?? writer.position,
        validator: opened.validator,
        finalUrl: opened.url.href,
      };
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      throw error;
    } finally {
      await writer.close();
    }
  } finally {
    finishBody(opened);
  }
}

/**
 * Streams the body into the writer, then saves what arrived even when the stream failed.
 *
 * The final checkpoint runs on every path (data first, then the record), so a resume after a
 * reset, a timeout or an abort continues from the last byte received.
 */
async function receiveBody(
  opened: AcceptedBody,
  writer: CheckpointedWriter,
  req: Pick<FileTransferRequest, 'signal' | 'throttle'>,
  cb: Pick<TransferCallbacks, 'onReceived'>,
): Promise<void> {
  const { signal, throttle } = req;
  let failed = false;
  let failure: unknown;
  try {
    for await (const chunk of opened.body as AsyncIterable<Buffer>) {
      const wait =
        throttle === undefined
          ? writer.push(chunk)
          : throttled(throttle, chunk, signal, (slice) => writer.push(slice));
      if (wait !== undefined) await wait;
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  if (!failed) {
    if (opened.end === null || writer.position === opened.end) cb.onReceived?.();
    await writer.checkpoint();
  } else {
    // The stream's failure is what matters; a failing checkpoint only leaves an older record.
    // No sync: what was written survives anything but a power loss, and a later run syncs it.
    await writer.checkpoint(false).catch(() => undefined);
    if (signal.aborted) throw signal.reason;
    throw bodyStreamError(failure, opened.url, {
      received: writer.position - opened.offset,
      expected: opened.end === null ? null : opened.end - opened.offset,
      viaProxy: opened.viaProxy,
    });
  }
  if (opened.end !== null && writer.position !== opened.end) {
    throw lengthMismatchError(
      writer.position - opened.offset,
      opened.end - opened.offset,
      opened.url,
    );
  }
}
