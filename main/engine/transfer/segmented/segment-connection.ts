import { FerryError } from '../../../../app/index.js';
import type { ResponseBody } from '../http/http-open.js';
import type { Segment } from './segment-plan.js';
import type { ConnectionLease } from '../types.js';

/**
 * One connection of a segmented download: what it reads, and how its failures are judged.
 */

/** A response a connection is reading and the segment it fills. */
export interface Reading {
  readonly body: ResponseBody;
  readonly segment: Segment;
  /** Where the response's bytes end (exclusive): the connection may read on to here. */
  readonly responseEnd: number;
}

/** One connection's state, as the download's tick sees it (stalls, its segment). */
export interface Connection {
  readonly controller: AbortController;
  segment: Segment | null;
  lastByteAt: number;
  stalled: boolean;
  /**
   * Its socket (a lease from the engine's connections), taken at its first request and kept
   * across requests; given back when the connection ends, or dropped when a response on it is
   * cut. The first connection starts with the first response's.
   */
  lease: ConnectionLease | null;
  /** No response is in flight on `lease`: it can be reused as is. */
  clean: boolean;
}

/** Errors that no other connection could fix: the file fails (or restarts) at once. */
export function isFatal(error: unknown): boolean {
  if (!(error instanceof FerryError)) return true;
  if (error.code.startsWith('DISK_') || error.code.startsWith('INPUT_')) return true;
  return [
    'FILE_SOURCE_CHANGED',
    'HTTP_NOT_FOUND',
    'HTTP_ACCESS_DENIED',
    'HTTP_CLIENT_ERROR',
    'HTTP_UNEXPECTED_STATUS',
    'HTTP_MALFORMED_RESPONSE',
    'INTERNAL',
    'ENGINE_CLOSED',
  ].includes(error.code);
}
