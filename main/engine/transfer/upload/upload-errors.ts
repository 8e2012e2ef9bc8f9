import type { IncomingHttpHeaders } from 'node:http';
import { FerryError } from '../../../../app/index.js';
import type { ErrorContext } from '../../../../app/index.js';
import { displayUrl } from '../../error-chain.js';
import { firstCode } from '../../error-chain.js';
import { httpStatusError } from '../map-error.js';
import { headerValue } from '../http/range.js';
import {
  BITS_ERROR,
  BITS_ERROR_CONTEXT,
  BITS_HEADER,
  formatErrorCode,
  parseErrorCode,
} from '../../../../app/upload-protocol.js';
import type { PacketType } from '../../../../app/upload-protocol.js';

/**
 * The upload protocol's failures as FerryErrors, beside the transfer layer's own (map-error.ts):
 * an HTTP status keeps its usual code (so 5xx stays transient and 4xx final), the context says
 * where the server put the blame (BITS-Error-Context: remote file or remote application), and
 * the message names the packet and the server's BITS-Error-Code.
 */

/** The error for an Ack with an error status or a BITS-Error-Code. */
export function ackError(
  packet: PacketType,
  status: number,
  headers: IncomingHttpHeaders,
  url: URL,
): FerryError {
  const code = parseErrorCode(headerValue(headers, BITS_HEADER.errorCode));
  const where = parseErrorCode(headerValue(headers, BITS_HEADER.errorContext));
  const base = httpStatusError(status, url, headers['retry-after']);
  const context: ErrorContext =
    where === BITS_ERROR_CONTEXT.remoteApplication
      ? 'REMOTE_APPLICATION'
      : base.context === 'GENERAL_TRANSPORT'
        ? 'GENERAL_TRANSPORT'
        : 'REMOTE_FILE';
  const detail = code === null ? '' : ` (server error ${formatErrorCode(code)})`;
  if (status < 400) {
    // A success status that still carries an error code: the server says it failed.
    return new FerryError(
      'HTTP_UNEXPECTED_STATUS',
      context,
      `${packet} refused by the upload server${detail} at ${displayUrl(url)}`,
      { httpStatus: status },
    );
  }
  return new FerryError(base.code, context, `${packet} refused: ${base.message}${detail}`, {
    httpStatus: status,
    ...(base.retryAfter === undefined ? {} : { retryAfter: base.retryAfter }),
  });
}

/** Whether an Ack says the server does not know the session (it restarted or expired it). */
export function isSessionNotFound(headers: IncomingHttpHeaders): boolean {
  return parseErrorCode(headerValue(headers, BITS_HEADER.errorCode)) === BITS_ERROR.sessionNotFound;
}

/**
 * The server does not speak the BITS upload protocol: a plain web server answering BITS_POST
 * with 405 or 501, an answer that is no Ack, or an Ack that picks a protocol Ferry never
 * offered. Final: the same server gives the same answer (BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH).
 */
export function protocolMismatchError(url: URL, what: string, status?: number): FerryError {
  return new FerryError(
    'HTTP_PROTOCOL_MISMATCH',
    'REMOTE_FILE',
    `${displayUrl(url)} does not speak the BITS upload protocol: ${what}`,
    status === undefined ? {} : { httpStatus: status },
  );
}

/** The local file to upload cannot be read (gone, not readable, a folder). */
export function uploadSourceError(err: unknown, path: string): FerryError {
  const sysCode = firstCode(err);
  const [code, what] =
    sysCode === 'ENOENT' || sysCode === 'ENOTDIR'
      ? (['FILE_SOURCE_NOT_FOUND', 'File to upload not found'] as const)
      : sysCode === 'EACCES' || sysCode === 'EPERM'
        ? (['FILE_SOURCE_ACCESS_DENIED', 'Access denied reading the file to upload'] as const)
        : (['DISK_IO_ERROR', 'I/O error reading the file to upload'] as const);
  return new FerryError(
    code,
    'LOCAL_FILE',
    sysCode === undefined ? `${what}: ${path}` : `${what}: ${path} (${sysCode})`,
    { cause: err, ...(sysCode === undefined ? {} : { sysCode }) },
  );
}

/**
 * The file changed since it was added to the job (size or modification time): BITS puts an
 * upload job in ERROR with BG_E_LOCAL_FILE_CHANGED rather than send a mix of two versions.
 */
export function uploadSourceChangedError(path: string, what: string): FerryError {
  return new FerryError(
    'FILE_SOURCE_CHANGED',
    'LOCAL_FILE',
    `The file to upload changed since it was added to the job (${what}): ${path}`,
  );
}

/** The server's answers contradict themselves (no progress, a range out of the file). */
export function uploadProtocolError(url: URL, what: string): FerryError {
  return new FerryError(
    'HTTP_PROTOCOL_MISMATCH',
    'REMOTE_FILE',
    `Unusable answer from the upload server at ${displayUrl(url)}: ${what}`,
  );
}
