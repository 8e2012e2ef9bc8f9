/**
 * Job time stamps, as BITS' `BG_JOB_TIMES`, in milliseconds since the Unix epoch.
 *
 * `transferCompletionTime` is null until every file has transferred.
 */
export interface JobTimes {
  readonly creationTime: number;
  readonly modificationTime: number;
  readonly transferCompletionTime: number | null;
}
