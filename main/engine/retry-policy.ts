import type { FerryError, FerryErrorCode } from '../../app/index.js';
import { MINIMUM_RETRY_DELAY_FLOOR } from '../../app/index.js';

/**
 * How the engine tells a transient failure from a final one, and how long it waits.
 *
 * Transient errors put a job in TRANSIENT_ERROR and are retried after the job's minimum retry
 * delay; every other error puts it in ERROR. Defaults follow BITS and undici's RetryHandler:
 * 408, 429 and 5xx responses, resets, timeouts, refused connections and DNS failures are
 * transient; 4xx, local disk problems and bad redirects are not.
 */
export interface RetryPolicy {
  /** HTTP statuses worth retrying. */
  readonly retryableStatuses: ReadonlySet<number>;
  /** Ferry codes worth retrying whatever their HTTP status. */
  readonly retryableCodes: ReadonlySet<FerryErrorCode>;
  /**
   * System codes that make an error final whatever its Ferry code: the server's answer could
   * not be parsed at all, and the same request gets the same answer. undici reports a response
   * head it cannot parse (a control byte in a header value, e.g. a Content-Disposition name) as
   * UND_ERR_RES_CONTENT_LENGTH_MISMATCH before any header is delivered (a body that really ends
   * short is HTTP_LENGTH_MISMATCH instead, and stays transient), llhttp as HPE_*.
   */
  readonly finalSysCodes: ReadonlySet<string>;
  /** Wait at least as long as a Retry-After header asks (capped by the no-progress timeout). */
  readonly honourRetryAfter: boolean;
  /**
   * The smallest minimum retry delay a job may have, in seconds (BITS: 5); `floorRetryDelay`
   * is the one place it is applied.
   */
  readonly minimumRetryDelayFloor: number;
}

const SERVER_ERRORS = Array.from({ length: 100 }, (_, i) => 500 + i);

/** The documented defaults; tests pass a smaller floor. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retryableStatuses: new Set([408, 429, ...SERVER_ERRORS]),
  retryableCodes: new Set<FerryErrorCode>([
    'HTTP_REQUEST_TIMEOUT',
    'HTTP_TOO_MANY_REQUESTS',
    'HTTP_SERVER_ERROR',
    'HTTP_LENGTH_MISMATCH',
    'HTTP_BAD_CONTENT_RANGE',
    'NET_CONNECTION_RESET',
    'NET_CONNECTION_REFUSED',
    'NET_TIMEOUT',
    'NET_DNS_FAILURE',
    'NET_PROXY_FAILURE',
    'NET_FAILURE',
  ]),
  finalSysCodes: new Set([
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    'HPE_INVALID_HEADER_TOKEN',
    'HPE_INVALID_CONSTANT',
    'HPE_INVALID_STATUS',
    'HPE_INVALID_VERSION',
    'HPE_UNEXPECTED_CONTENT_LENGTH',
  ]),
  honourRetryAfter: true,
  minimumRetryDelayFloor: MINIMUM_RETRY_DELAY_FLOOR,
};

/**
 * A job's minimum retry delay as asked (SetMinimumRetryDelay, or the default for a new job),
 * raised to the policy's floor: BITS quietly raises shorter delays the same way.
 */
export function floorRetryDelay(policy: RetryPolicy, seconds: number): number {
  return Math.max(seconds, policy.minimumRetryDelayFloor);
}

/** Whether an error is transient under the policy. */
export function isTransient(policy: RetryPolicy, error: FerryError): boolean {
  // A server that does not speak the protocol (a plain web server answering an upload's
  // BITS_POST with 501) gives the same answer to the same request, whatever its status.
  if (error.code === 'HTTP_PROTOCOL_MISMATCH') return false;
  if (
    error.code !== 'HTTP_LENGTH_MISMATCH' &&
    error.sysCode !== undefined &&
    policy.finalSysCodes.has(error.sysCode)
  ) {
    return false;
  }
  if (error.httpStatus !== undefined && error.code.startsWith('HTTP_')) {
    if (policy.retryableStatuses.has(error.httpStatus)) return true;
    if (error.code !== 'HTTP_LENGTH_MISMATCH' && error.code !== 'HTTP_BAD_CONTENT_RANGE') {
      return false;
    }
  }
  return policy.retryableCodes.has(error.code);
}

/**
 * When a job that just failed transiently should be retried, in ms since the epoch.
 *
 * The job's minimum retry delay, or longer when the server's Retry-After asks for more.
 */
export function retryTime(
  policy: RetryPolicy,
  now: number,
  minimumRetryDelaySeconds: number,
  error: FerryError,
): number {
  let delay = minimumRetryDelaySeconds;
  if (policy.honourRetryAfter && error.retryAfter !== undefined) {
    delay = Math.max(delay, error.retryAfter);
  }
  return now + delay * 1000;
}
