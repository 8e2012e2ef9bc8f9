import { invalidUrlError, unsupportedSchemeError } from './map-error.js';
import { transferFile } from './file/file-transfer.js';
import { transferHttp } from './http-transfer.js';
import type { FileTransferRequest, FileTransferResult, TransferCallbacks } from './types.js';

export type * from './types.js';
export { localFileError, networkError, httpStatusError, sourceFileError } from './map-error.js';
export { createDispatcherPool, matchesBypass } from './http/proxy.js';
export type { DispatcherPool, DispatcherPoolOptions } from './http/proxy.js';
export { transferFile } from './file/file-transfer.js';
export { transferHttp } from './http-transfer.js';
export { BandwidthManager } from './speed/bandwidth.js';
export type { JobBandwidth, Throttle } from './speed/bandwidth.js';
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
      return transferHttp(req, cb);
    case 'file:':
      return transferFile(req, cb);
    default:
      throw unsupportedSchemeError(url);
  }
}
