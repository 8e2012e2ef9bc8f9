/**
 * Progress of a job, as BITS' `BG_JOB_PROGRESS`.
 *
 * `bytesTotal` is null while any file's size is unknown (BITS' `BG_SIZE_UNKNOWN`): a UI shows
 * an indeterminate bar then, never 0 %.
 */
export interface JobProgress {
  readonly bytesTotal: number | null;
  readonly bytesTransferred: number;
  readonly filesTotal: number;
  readonly filesTransferred: number;
}

/**
 * Progress of one file, as BITS' `BG_FILE_PROGRESS`.
 *
 * `transferred` is true once every byte is in the temporary file; `completed` once Complete has
 * renamed it to its final name (the file is visible to the user).
 */
export interface FileProgress {
  readonly bytesTotal: number | null;
  readonly bytesTransferred: number;
  readonly transferred: boolean;
  readonly completed: boolean;
}
