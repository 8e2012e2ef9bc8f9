import type { SourceSnapshot, UploadSession } from './transfer/upload/upload-file.js';
import type { RemoteValidator } from './transfer/types.js';

/**
 * The upload side of an UPLOAD or UPLOAD_REPLY job, persisted beside the job (upload-repo.ts).
 *
 * The job's one file carries the upload's progress as any file does (`bytesOnDisk` is what the
 * server acknowledged, `transferred` that it holds the whole file); this record holds what
 * only uploads have: the file as it was at AddFile, the server's session, and the reply.
 */
export interface UploadRecord {
  /** Size and modification time of the file when it was added: a change is an ERROR. */
  source: SourceSnapshot | null;
  /** The session on the server; null before Create-Session or after it was lost. */
  session: UploadSession | null;
  /** Close-Session was acknowledged (the server freed the session). */
  sessionClosed: boolean;
  /** Where the reply goes (UPLOAD_REPLY), renamed there on Complete. */
  replyFileName: string | null;
  /** BITS-Reply-URL of the last Ack; null before it, or when the server sent none. */
  replyUrl: string | null;
  replyBytesTotal: number | null;
  /** Reply bytes written to its temporary file (the resume point of the reply download). */
  replyBytes: number;
  replyValidator: RemoteValidator | null;
  /** The whole reply is in its temporary file. */
  replyTransferred: boolean;
  /** Complete renamed the reply to its name. */
  replyCompleted: boolean;
}

/** A new job's upload record. */
export function newUploadRecord(): UploadRecord {
  return {
    source: null,
    session: null,
    sessionClosed: false,
    replyFileName: null,
    replyUrl: null,
    replyBytesTotal: null,
    replyBytes: 0,
    replyValidator: null,
    replyTransferred: false,
    replyCompleted: false,
  };
}
