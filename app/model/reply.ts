/**
 * The reply of an UPLOAD_REPLY job, as IBackgroundCopyJob2 reports it: GetReplyFileName and
 * GetReplyProgress (BG_JOB_REPLY_PROGRESS). The reply's bytes themselves are GetReplyData
 * (`job.getReplyData`).
 */
export interface JobReplyInfo {
  /** Where Complete puts the reply (SetReplyFileName; by default the uploaded file + `.reply`). */
  readonly fileName: string | null;
  readonly progress: {
    /** Null until the server has said how big the reply is. */
    readonly bytesTotal: number | null;
    readonly bytesTransferred: number;
  };
  /** The reply file is at its name (Complete renamed it). */
  readonly completed: boolean;
}
