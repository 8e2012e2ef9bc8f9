/**
 * Job time stamps, as BITS' `BG_JOB_TIMES`, in milliseconds since the Unix epoch.
 *
 * `transferCompletionTime` is null until every file has transferred. `retryTime` is Ferry's
 * addition, so a UI can count down to the next attempt.
 */
export interface JobTimes {
  readonly creationTime: number;
  readonly modificationTime: number;
  readonly transferCompletionTime: number | null;
  /** When a TRANSIENT_ERROR job is retried next; null when no retry is planned. */
  readonly retryTime: number | null;
}
