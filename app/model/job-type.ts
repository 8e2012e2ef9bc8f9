/**
 * Job types, named as BITS' `BG_JOB_TYPE` (DOWNLOAD = 0, UPLOAD = 1, UPLOAD_REPLY = 2).
 *
 * An UPLOAD job sends one local file to a server that speaks the BITS upload protocol
 * (docs/upload-protocol.md); an UPLOAD_REPLY job then also downloads the server's reply to its
 * reply file (IBackgroundCopyJob2). The type is chosen at creation and never changes.
 */
export const JOB_TYPES = ['DOWNLOAD', 'UPLOAD', 'UPLOAD_REPLY'] as const;

/** One of the BITS job types. */
export type JobType = (typeof JOB_TYPES)[number];

/** The job types this version of Ferry can run. */
export const SUPPORTED_JOB_TYPES: readonly JobType[] = ['DOWNLOAD', 'UPLOAD', 'UPLOAD_REPLY'];

/** Whether a job of this type sends a file (UPLOAD, UPLOAD_REPLY) rather than fetching one. */
export function isUploadType(type: JobType): boolean {
  return type !== 'DOWNLOAD';
}

/** The type with its article, for messages: "a DOWNLOAD", "an UPLOAD", "an UPLOAD_REPLY". */
export function jobTypeWithArticle(type: JobType): string {
  return `${type === 'DOWNLOAD' ? 'a' : 'an'} ${type}`;
}
