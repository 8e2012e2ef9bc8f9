import { throttled } from '../speed/bandwidth.js';
import { CheckpointedWriter } from '../disk/checkpointed-writer.js';
import type { TempFile } from '../disk/temp-file.js';
import { finishBody } from './http-open.js';
import type { AcceptedBody } from './http-open.js';
import { bodyStreamError, lengthMismatchError } from '../map-error.js';
import type { FileTransferRequest, FileTransferResult, TransferCallbacks } from '../types.js';

/**
 * Streams an accepted response (from `openHttpResponse`, `onStart` already reported) to the end
 * over this one connection, into the temporary file cut to the response's offset: a file over
 * one connection, too small to split or of unknown size.
 */
export async function receiveLinear(
  req: FileTransferRequest,
  cb: TransferCallbacks,
  opened: AcceptedBody,
  file: TempFile,
): Promise<FileTransferResult> {
  try {
    const writer = CheckpointedWriter.on(file, req.checkpoint, cb);
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
  req: Pick<FileTransferRequest, 'signal' | 'throttle' | 'contentHash'>,
  cb: Pick<TransferCallbacks, 'onReceived'>,
): Promise<void> {
  const { signal, throttle } = req;
  let failed = false;
  let failure: unknown;
  try {
    for await (const chunk of opened.body as AsyncIterable<Buffer>) {
      req.contentHash?.update(writer.position, chunk);
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
