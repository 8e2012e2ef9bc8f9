import type { IncomingHttpHeaders } from 'node:http';
import type { RemoteValidator } from '../types.js';

/**
 * Helpers for HTTP resume: Content-Range and Content-Length parsing and validator checks.
 *
 * Pure functions, so that the rules (RFC 9110 §14 ranges, §13.1.5 If-Range) are tested apart
 * from the network code.
 */

/** A parsed `Content-Range: bytes start-end/total`, `end` inclusive; `total` null for `*`. */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly total: number | null;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A satisfied `Content-Range` (206), or null when missing or malformed. */
export function parseContentRange(value: string | undefined): ContentRange | null {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? '');
  if (match === null) return null;
  const [, first = '', last = '', size = ''] = match;
  const start = Number(first);
  const end = Number(last);
  const total = size === '*' ? null : Number(size);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  if (total !== null && (!Number.isSafeInteger(total) || end >= total)) return null;
  return { start, end, total };
}

/** The total of an unsatisfied `Content-Range: bytes *\/total` (416), or null. */
export function parseUnsatisfiedRange(value: string | undefined): number | null {
  const match = /^\s*bytes\s+\*\/(\d+)\s*$/i.exec(value ?? '');
  const total = match?.[1] === undefined ? NaN : Number(match[1]);
  return Number.isSafeInteger(total) ? total : null;
}

/** A `Content-Length`, or null when absent or not a plain non-negative integer. */
export function parseContentLength(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : null;
}

/** The validator a response carries (ETag and Last-Modified, verbatim). */
export function responseValidator(headers: IncomingHttpHeaders): RemoteValidator {
  return {
    etag: headerValue(headers, 'etag') ?? null,
    lastModified: headerValue(headers, 'last-modified') ?? null,
  };
}

/**
 * The `If-Range` value for a recorded validator, or null when there is none.
 *
 * A strong ETag is preferred; a weak one (`W/`) may not be used in If-Range (RFC 9110
 * §13.1.5), so Last-Modified is sent instead.
 */
export function ifRangeValue(validator: RemoteValidator | null): string | null {
  if (validator === null) return null;
  if (validator.etag !== null && !validator.etag.startsWith('W/')) return validator.etag;
  return validator.lastModified;
}

/**
 * Whether a response's validator contradicts the recorded one.
 *
 * ETags are compared when both sides have one, else Last-Modified when both have one; when
 * nothing can be compared there is no contradiction (the size check remains).
 */
export function validatorsConflict(
  recorded: RemoteValidator | null,
  response: RemoteValidator,
): boolean {
  if (recorded === null) return false;
  if (recorded.etag !== null && response.etag !== null) return recorded.etag !== response.etag;
  if (recorded.lastModified !== null && response.lastModified !== null) {
    return recorded.lastModified !== response.lastModified;
  }
  return false;
}

/**
 * The validator to report after a resumed (206) response: the response's own fields, with the
 * recorded ones filling in what a partial response leaves out.
 */
export function mergeValidator(
  recorded: RemoteValidator | null,
  response: RemoteValidator,
): RemoteValidator {
  return {
    etag: response.etag ?? recorded?.etag ?? null,
    lastModified: response.lastModified ?? recorded?.lastModified ?? null,
  };
}
