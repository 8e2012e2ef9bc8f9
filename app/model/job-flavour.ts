/**
 * The two flavours of the one job model.
 *
 * BITS (bits.h) is Ferry's own and the default. DO is the job model as Delivery Optimization
 * (deliveryoptimization.h) documents it: the same nine states and methods, but a job never
 * enters CONNECTING (QUEUED goes straight to TRANSFERRING) and a TRANSIENT_ERROR is retried on
 * the engine's internal back-off rather than the job's minimum retry delay. The transition
 * table (app/transitions.ts) holds every difference and the notes that explain them.
 *
 * A job's flavour is chosen when it is created and never changes.
 */
export const JOB_FLAVOURS = ['BITS', 'DO'] as const;

/** One of the two job flavours. */
export type JobFlavour = (typeof JOB_FLAVOURS)[number];

/** The flavour of a job created without one. */
export const DEFAULT_JOB_FLAVOUR: JobFlavour = 'BITS';

/**
 * Delivery Optimization's "internal retry configuration", which Ferry owns for DO jobs: the
 * first retry comes `firstSeconds` after a transient error, each further one without progress
 * in between waits twice as long, up to `maxSeconds`. Progress starts the series over.
 *
 * 60 s to 600 s: quicker than BITS' fixed 600 s at first (a DO download is usually wanted
 * soon), and never more often than once a minute against a failing server.
 */
export interface RetryBackoff {
  readonly firstSeconds: number;
  readonly maxSeconds: number;
}

/** The back-off DO jobs use unless an embedder (a test) gives another. */
export const DO_RETRY_BACKOFF: RetryBackoff = { firstSeconds: 60, maxSeconds: 600 };

/**
 * The wait after a transient error: the back-off's first step when the job had made progress
 * since its last one (`previous` null), else twice the previous wait, at most the cap.
 */
export function nextBackoffDelay(backoff: RetryBackoff, previous: number | null): number {
  if (previous === null) return backoff.firstSeconds;
  return Math.min(Math.max(previous * 2, backoff.firstSeconds), backoff.maxSeconds);
}

/**
 * The wait before the next retry after `consecutiveErrors` transient errors without progress
 * (1 for the first), in seconds.
 */
export function backoffDelay(backoff: RetryBackoff, consecutiveErrors: number): number {
  const doublings = Math.max(0, Math.min(consecutiveErrors - 1, 30));
  return Math.min(backoff.firstSeconds * 2 ** doublings, backoff.maxSeconds);
}
