import { z } from 'zod';
import { FerryError } from '../../../app/index.js';
import { errorText } from '../error-chain.js';
import type { UploadRecord } from '../upload-record.js';
import type { SqliteDatabase } from './database.js';
import { parseStored, rowName } from './stored-value.js';

/** Columns of `upload_jobs`, in the order the statements use. */
const COLUMNS = [
  'job_id',
  'source_size',
  'source_mtime',
  'session_id',
  'session_url',
  'session_closed',
  'reply_file_name',
  'reply_url',
  'reply_bytes_total',
  'reply_bytes',
  'reply_etag',
  'reply_last_modified',
  'reply_transferred',
  'reply_completed',
] as const;

const count = z.number().int().nonnegative();
const flag = z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1);

/** A stored row, checked on the way back in (a corrupt row is STORE_FAILED naming the job). */
const uploadRow = z.strictObject({
  job_id: z.string(),
  source_size: count.nullable(),
  source_mtime: z.number().nonnegative().nullable(),
  session_id: z.string().min(1).max(100).nullable(),
  session_url: z.string().min(1).nullable(),
  session_closed: flag,
  reply_file_name: z.string().min(1).nullable(),
  reply_url: z.string().min(1).nullable(),
  reply_bytes_total: count.nullable(),
  reply_bytes: count,
  reply_etag: z.string().nullable(),
  reply_last_modified: z.string().nullable(),
  reply_transferred: flag,
  reply_completed: flag,
});

/**
 * The upload side of a job (UPLOAD and UPLOAD_REPLY jobs): one row per job in `upload_jobs`,
 * beside the job's own row, deleted with it.
 */
export class UploadRepo {
  constructor(
    private readonly db: SqliteDatabase,
    /** The database file, named in errors. */
    private readonly path = 'ferry.db',
  ) {}

  /** Every stored upload record, by job id. */
  loadAll(): Map<string, UploadRecord> {
    const out = new Map<string, UploadRecord>();
    const rows: unknown[] = this.write(() => this.db.prepare('SELECT * FROM upload_jobs').all());
    for (const raw of rows) {
      const row = parseStored(uploadRow, raw, rowName('upload job', raw, 'job_id'), this.path);
      out.set(row.job_id, {
        source:
          row.source_size === null || row.source_mtime === null
            ? null
            : { size: row.source_size, mtimeMs: row.source_mtime },
        session:
          row.session_id === null || row.session_url === null
            ? null
            : { id: row.session_id, url: row.session_url },
        sessionClosed: row.session_closed,
        replyFileName: row.reply_file_name,
        replyUrl: row.reply_url,
        replyBytesTotal: row.reply_bytes_total,
        replyBytes: row.reply_bytes,
        replyValidator:
          row.reply_etag === null && row.reply_last_modified === null
            ? null
            : { etag: row.reply_etag, lastModified: row.reply_last_modified },
        replyTransferred: row.reply_transferred,
        replyCompleted: row.reply_completed,
      });
    }
    return out;
  }

  /** Writes a job's upload record (insert or replace). */
  save(jobId: string, record: UploadRecord): void {
    const values = [
      jobId,
      record.source?.size ?? null,
      record.source?.mtimeMs ?? null,
      record.session?.id ?? null,
      record.session?.url ?? null,
      record.sessionClosed ? 1 : 0,
      record.replyFileName,
      record.replyUrl,
      record.replyBytesTotal,
      record.replyBytes,
      record.replyValidator?.etag ?? null,
      record.replyValidator?.lastModified ?? null,
      record.replyTransferred ? 1 : 0,
      record.replyCompleted ? 1 : 0,
    ];
    this.write(() =>
      this.db
        .prepare(
          `INSERT OR REPLACE INTO upload_jobs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
        )
        .run(...values),
    );
  }

  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof FerryError) throw cause;
      throw new FerryError(
        'STORE_FAILED',
        'GENERAL_QUEUE_MANAGER',
        `Cannot use store ${this.path}: ${errorText(cause)}`,
        { cause },
      );
    }
  }
}
