/**
 * Job types, named as BITS' `BG_JOB_TYPE` (DOWNLOAD = 0, UPLOAD = 1, UPLOAD_REPLY = 2).
 *
 * Only DOWNLOAD is supported; the other two are named so that a request for one is refused
 * with a clear error rather than a validation failure.
 */
export const JOB_TYPES = ['DOWNLOAD', 'UPLOAD', 'UPLOAD_REPLY'] as const;

/** One of the BITS job types. */
export type JobType = (typeof JOB_TYPES)[number];

/** The job types this version of Ferry can run. */
export const SUPPORTED_JOB_TYPES: readonly JobType[] = ['DOWNLOAD'];
