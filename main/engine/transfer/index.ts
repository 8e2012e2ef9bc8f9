import { invalidUrlError, unsupportedSchemeError } from './map-error.js';
import { transferFile } from './file-transfer.js';
import { transferHttp } from './http-transfer.js';
import { transferHttpSegmented } from './http-segmented.js';
import type { FileTransferRequest, FileTransferResult, TransferCallbacks } from './types.js';

export type * from './types.js';
export { localFileError, networkError, httpStatusError, sourceFileError } from './map-error.js';
export { createDispatcherPool, matchesBypass } from './proxy.js';
export type { DispatcherPool, DispatcherPoolOptions } from './proxy.js';
export { transferFile } from './file-transfer.js';
export { transferHttp } from './http-transfer.js';
export { transferHttpSegmented } from './http-segmented.js';
export { BandwidthManager } from './bandwidth.js';
export type { JobBandwidth, Throttle } from './bandwidth.js';
export type { ByteSpan } from './range-set.js';

/**
 * Transfers one file by its URL's scheme: http and https over undici, file by a local copy.
 *
 * The engine's single entry point to the transfer layer. Other schemes are
 * INPUT_UNSUPPORTED_SCHEME and unparsable names INPUT_INVALID_URL (both final errors), thrown
 * before the temporary file is touched.
 */
export async function runTransfer(
  req: FileTransferRequest,
  cb: TransferCallbacks,
): Promise<FileTransferResult> {
  let url: URL;
  try {
    url = new URL(req.remoteUrl);
  } catch (error) {
    throw invalidUrlError(req.remoteUrl, error);
  }
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return segmented(req) && req.segmentation !== undefined
        ? transferHttpSegmented(req, cb, req.segmentation)
        : transferHttp(req, cb);
    case 'file:':
      return transferFile(req, cb);
    default:
      throw unsupportedSchemeError(url);
  }
}

/**
 * Whether a file goes through the segmented transfer: always when its record has segments
 * (only that path can resume them), else when more than one connection is allowed and a resume
 * would not lose bytes (a linear record of a file of unknown size resumes over one connection).
 */
function segmented(req: FileTransferRequest): boolean {
  if (req.segments !== undefined && req.segments !== null) return true;
  if (req.segmentation === undefined || req.segmentation.connections() <= 1) return false;
  return req.offset === 0 || req.totalBytes !== null;
}
