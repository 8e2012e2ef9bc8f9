/** A header value as undici reports it. */
export type HeaderValue = string | readonly string[] | null | undefined;

/**
 * Seconds a `Retry-After` value asks for, or undefined when absent or malformed.
 *
 * Accepts both RFC 9110 forms: delta-seconds ("120") and an HTTP-date, which is measured from
 * `nowMs`; a date in the past means "now" (0).
 */
export function parseRetryAfter(value: HeaderValue, nowMs = Date.now()): number | undefined {
  const raw = firstHeader(value)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) {
    const seconds = Number(raw);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function firstHeader(value: HeaderValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}
