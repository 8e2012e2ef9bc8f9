import type {
  JobErrorInfo,
  JobId,
  JobPriority,
  JobState,
  JobType,
  NotifyCmdLine,
  ProxySettings,
  TransferPolicy,
} from '../../../app/index.js';
import { DEFAULT_TRANSFER_POLICY, FerryError } from '../../../app/index.js';
import { errorText } from '../error-chain.js';
import type { FileRecord, JobRecord } from '../job-record.js';
import type { ByteSpan } from '../transfer/range-set.js';
import type { SqliteDatabase } from './database.js';
import type { SecretBox } from './secret-box.js';
import type { Statement } from 'libsql';

interface JobRow {
  id: string;
  seq: number;
  type: string;
  display_name: string;
  description: string;
  state: string;
  priority: string;
  owner: string;
  creation_time: number;
  modification_time: number;
  transfer_completion_time: number | null;
  min_retry_delay: number;
  no_progress_timeout: number;
  notify_flags: number;
  notify_cmdline: string | null;
  proxy: string;
  custom_headers: string;
  transfer_policy: string;
  error_count: number;
  error: string | null;
  no_progress_since: number | null;
  retry_at: number | null;
}

interface FileRow {
  job_id: string;
  idx: number;
  remote_name: string;
  local_name: string;
  temp_name: string;
  bytes_total: number | null;
  bytes_on_disk: number;
  etag: string | null;
  last_modified: string | null;
  transferred: number;
  completed: number;
  segments: string | null;
  bytes_durable: number;
  segments_durable: string | null;
  boot_id: string | null;
}

const JOB_COLUMNS = [
  'id',
  'seq',
  'type',
  'display_name',
  'description',
  'state',
  'priority',
  'owner',
  'creation_time',
  'modification_time',
  'transfer_completion_time',
  'min_retry_delay',
  'no_progress_timeout',
  'notify_flags',
  'notify_cmdline',
  'proxy',
  'custom_headers',
  'transfer_policy',
  'error_count',
  'error',
  'no_progress_since',
  'retry_at',
] as const;

const FILE_COLUMNS = [
  'job_id',
  'idx',
  'remote_name',
  'local_name',
  'temp_name',
  'bytes_total',
  'bytes_on_disk',
  'etag',
  'last_modified',
  'transferred',
  'completed',
  'segments',
  'bytes_durable',
  'segments_durable',
  'boot_id',
] as const;

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`;
}

function updateSql(table: string, columns: readonly string[], keys: readonly string[]): string {
  const sets = columns.filter((c) => !keys.includes(c)).map((c) => `${c} = @${c}`);
  return `UPDATE ${table} SET ${sets.join(', ')} WHERE ${keys.map((k) => `${k} = @${k}`).join(' AND ')}`;
}

function jobToRow(job: JobRecord, secrets: SecretBox): JobRow {
  return {
    id: job.id,
    seq: job.seq,
    type: job.type,
    display_name: job.displayName,
    description: job.description,
    state: job.state,
    priority: job.priority,
    owner: job.owner,
    creation_time: job.creationTime,
    modification_time: job.modificationTime,
    transfer_completion_time: job.transferCompletionTime,
    min_retry_delay: job.minimumRetryDelay,
    no_progress_timeout: job.noProgressTimeout,
    notify_flags: job.notifyFlags,
    notify_cmdline: job.notifyCmdLine === null ? null : JSON.stringify(job.notifyCmdLine),
    proxy: secrets.seal(JSON.stringify(job.proxy)),
    custom_headers: secrets.seal(JSON.stringify(job.customHeaders)),
    transfer_policy: JSON.stringify(job.transferPolicy),
    error_count: job.errorCount,
    error: job.error === null ? null : JSON.stringify(job.error),
    no_progress_since: job.noProgressSince,
    retry_at: job.retryAt,
  };
}

function fileToRow(jobId: JobId, file: FileRecord): FileRow {
  return {
    job_id: jobId,
    idx: file.index,
    remote_name: file.remoteName,
    local_name: file.localName,
    temp_name: file.tempName,
    bytes_total: file.bytesTotal,
    bytes_on_disk: file.bytesOnDisk,
    etag: file.validator?.etag ?? null,
    last_modified: file.validator?.lastModified ?? null,
    transferred: file.transferred ? 1 : 0,
    completed: file.completed ? 1 : 0,
    segments: file.segments === null ? null : JSON.stringify(file.segments),
    bytes_durable: file.bytesDurable,
    segments_durable: file.segmentsDurable === null ? null : JSON.stringify(file.segmentsDurable),
    boot_id: file.bootId,
  };
}

function rowToFile(row: FileRow): FileRecord {
  return {
    index: row.idx,
    remoteName: row.remote_name,
    localName: row.local_name,
    tempName: row.temp_name,
    bytesTotal: row.bytes_total,
    bytesOnDisk: row.bytes_on_disk,
    bytesLive: 0,
    segments: row.segments === null ? null : (JSON.parse(row.segments) as ByteSpan[]),
    bytesDurable: row.bytes_durable,
    segmentsDurable:
      row.segments_durable === null ? null : (JSON.parse(row.segments_durable) as ByteSpan[]),
    bootId: row.boot_id,
    validator:
      row.etag === null && row.last_modified === null
        ? null
        : { etag: row.etag, lastModified: row.last_modified },
    transferred: row.transferred !== 0,
    completed: row.completed !== 0,
  };
}

function rowToJob(row: JobRow, files: FileRecord[], secrets: SecretBox): JobRecord {
  return {
    id: row.id as JobId,
    seq: row.seq,
    type: row.type as JobType,
    displayName: row.display_name,
    description: row.description,
    state: row.state as JobState,
    priority: row.priority as JobPriority,
    owner: row.owner,
    creationTime: row.creation_time,
    modificationTime: row.modification_time,
    transferCompletionTime: row.transfer_completion_time,
    minimumRetryDelay: row.min_retry_delay,
    noProgressTimeout: row.no_progress_timeout,
    notifyFlags: row.notify_flags,
    notifyCmdLine:
      row.notify_cmdline === null ? null : (JSON.parse(row.notify_cmdline) as NotifyCmdLine),
    proxy: JSON.parse(secrets.open(row.proxy)) as ProxySettings,
    customHeaders: JSON.parse(secrets.open(row.custom_headers)) as string[],
    // Rows written before a field existed lack it: the default fills it in.
    transferPolicy: {
      ...DEFAULT_TRANSFER_POLICY,
      ...(JSON.parse(row.transfer_policy) as Partial<TransferPolicy>),
    },
    errorCount: row.error_count,
    error: row.error === null ? null : (JSON.parse(row.error) as JobErrorInfo),
    noProgressSince: row.no_progress_since,
    retryAt: row.retry_at,
    files,
  };
}

/** A failed store write as STORE_FAILED, naming the database and, when so, the full disk. */
export function storeError(path: string, cause: unknown): FerryError {
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  const full =
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    /database or disk is full/i.test(errorText(cause));
  return new FerryError(
    'STORE_FAILED',
    'GENERAL_QUEUE_MANAGER',
    full
      ? `Cannot save to the store ${path}: the disk is full; nothing was changed`
      : `Cannot save to the store ${path}: ${errorText(cause)}; nothing was changed`,
    { cause, sysCode: full ? 'ENOSPC' : code === '' ? undefined : code },
  );
}

/**
 * All SQL of the engine: jobs, their files, their error log and settings.
 *
 * The engine keeps every job in memory and writes through this repository; nothing else
 * touches the database, so the driver could be swapped behind it.
 */
export class JobRepo {
  private readonly insertJobStmt: Statement;
  private readonly updateJobStmt: Statement;
  private readonly insertFileStmt: Statement;
  private readonly updateFileStmt: Statement;
  private readonly checkpointStmt: Statement;
  private readonly insertErrorStmt: Statement;
  private listErrorsStmt: Statement | undefined;
  /** Every job's error log once read (see listErrors); null until then. */
  private errorLogs: Map<string, JobErrorInfo[]> | null = null;
  /** Jobs whose log changed since it was read. */
  private readonly staleErrorLogs = new Set<string>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly secrets: SecretBox,
    /** The database file, named in errors. */
    private readonly path = 'ferry.db',
  ) {
    this.insertJobStmt = db.prepare(insertSql('jobs', JOB_COLUMNS));
    this.updateJobStmt = db.prepare(updateSql('jobs', JOB_COLUMNS, ['id']));
    this.insertFileStmt = db.prepare(insertSql('files', FILE_COLUMNS));
    this.updateFileStmt = db.prepare(updateSql('files', FILE_COLUMNS, ['job_id', 'idx']));
    this.checkpointStmt = db.prepare(
      'UPDATE files SET bytes_on_disk = ?, segments = ?, bytes_durable = ?, segments_durable = ?, boot_id = ? WHERE job_id = ? AND idx = ?',
    );
    this.insertErrorStmt = db.prepare(
      'INSERT INTO job_errors (job_id, time, error) VALUES (?, ?, ?)',
    );
  }

  /** Every stored job with its files, first come first. */
  loadJobs(): JobRecord[] {
    const files = new Map<string, FileRecord[]>();
    for (const row of this.db.prepare('SELECT * FROM files ORDER BY job_id, idx').all()) {
      const fileRow = row as FileRow;
      let list = files.get(fileRow.job_id);
      if (list === undefined) files.set(fileRow.job_id, (list = []));
      list.push(rowToFile(fileRow));
    }
    return this.db
      .prepare('SELECT * FROM jobs ORDER BY seq')
      .all()
      .map((row) => rowToJob(row as JobRow, files.get((row as JobRow).id) ?? [], this.secrets));
  }

  /** The queue position for the next new job. */
  nextSeq(): number {
    const row = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM jobs').get() as {
      next: number;
    };
    return row.next;
  }

  /** Stores a new job and its files. */
  insertJob(job: JobRecord): void {
    this.transaction(() => {
      this.insertJobStmt.run(jobToRow(job, this.secrets));
      for (const file of job.files) this.insertFileStmt.run(fileToRow(job.id, file));
    });
  }

  /** Writes every column of a job (not its files). */
  saveJob(job: JobRecord): void {
    this.write(() => this.updateJobStmt.run(jobToRow(job, this.secrets)));
  }

  /** Stores new files of an existing job. */
  insertFiles(jobId: JobId, files: readonly FileRecord[]): void {
    this.transaction(() => {
      for (const file of files) this.insertFileStmt.run(fileToRow(jobId, file));
    });
  }

  /** Writes every column of one file. */
  saveFile(jobId: JobId, file: FileRecord): void {
    this.write(() => this.updateFileStmt.run(fileToRow(jobId, file)));
  }

  /** Records the progress of one file (both watermarks, its ranges when segmented). */
  checkpointFile(jobId: JobId, file: FileRecord): void {
    this.write(() =>
      this.checkpointStmt.run(
        file.bytesOnDisk,
        file.segments === null ? null : JSON.stringify(file.segments),
        file.bytesDurable,
        file.segmentsDurable === null ? null : JSON.stringify(file.segmentsDurable),
        file.bootId,
        jobId,
        file.index,
      ),
    );
  }

  /** Appends an error to a job's error log. */
  appendError(jobId: JobId, error: JobErrorInfo): void {
    this.write(() => this.insertErrorStmt.run(jobId, error.time, JSON.stringify(error)));
    // Re-read on next use rather than pushed: the insert may be inside a transaction that
    // rolls back.
    this.errorLogs?.delete(jobId);
    this.staleErrorLogs.add(jobId);
  }

  /**
   * A job's error log, oldest first.
   *
   * Every log is read in one query the first time and kept: reading them one query per job
   * made a `jobs.enum` over 3,000 jobs spend 100 ms in SQLite.
   */
  listErrors(jobId: JobId): JobErrorInfo[] {
    if (this.errorLogs === null) {
      this.errorLogs = new Map();
      const rows = this.db.prepare('SELECT job_id, error FROM job_errors ORDER BY id').all() as {
        job_id: string;
        error: string;
      }[];
      for (const row of rows) {
        let log = this.errorLogs.get(row.job_id);
        if (log === undefined) this.errorLogs.set(row.job_id, (log = []));
        log.push(JSON.parse(row.error) as JobErrorInfo);
      }
      this.staleErrorLogs.clear();
    }
    if (this.staleErrorLogs.delete(jobId)) {
      this.listErrorsStmt ??= this.db.prepare(
        'SELECT error FROM job_errors WHERE job_id = ? ORDER BY id',
      );
      this.errorLogs.set(
        jobId,
        this.listErrorsStmt
          .all(jobId)
          .map((row) => JSON.parse((row as { error: string }).error) as JobErrorInfo),
      );
    }
    return [...(this.errorLogs.get(jobId) ?? [])];
  }

  /** Deletes a job with its files and errors. */
  deleteJob(jobId: JobId): void {
    this.write(() => this.db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId));
    this.errorLogs?.delete(jobId);
    this.staleErrorLogs.delete(jobId);
  }

  /** A stored setting, or undefined. */
  getSetting(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row === undefined ? undefined : JSON.parse(this.secrets.open(row.value));
  }

  /** Stores a setting as JSON. */
  setSetting(key: string, value: unknown): void {
    this.write(() =>
      this.db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(key, this.secrets.seal(JSON.stringify(value))),
    );
  }

  /**
   * Seals every secret an older version stored in clear (job proxies and custom headers,
   * settings) and returns how many values it sealed.
   *
   * The store runs with `secure_delete`, and the WAL is truncated afterwards, so the clear
   * text does not linger in free pages or old frames.
   */
  sealClearSecrets(): number {
    let sealed = 0;
    this.transaction(() => {
      const jobs = this.db.prepare('SELECT id, proxy, custom_headers FROM jobs').all() as {
        id: string;
        proxy: string;
        custom_headers: string;
      }[];
      const updateJob = this.db.prepare(
        'UPDATE jobs SET proxy = ?, custom_headers = ? WHERE id = ?',
      );
      for (const row of jobs) {
        if (this.secrets.isSealed(row.proxy) && this.secrets.isSealed(row.custom_headers)) continue;
        updateJob.run(
          this.secrets.seal(this.secrets.open(row.proxy)),
          this.secrets.seal(this.secrets.open(row.custom_headers)),
          row.id,
        );
        sealed++;
      }
      const settings = this.db.prepare('SELECT key, value FROM settings').all() as {
        key: string;
        value: string;
      }[];
      const updateSetting = this.db.prepare('UPDATE settings SET value = ? WHERE key = ?');
      for (const row of settings) {
        if (this.secrets.isSealed(row.value)) continue;
        updateSetting.run(this.secrets.seal(row.value), row.key);
        sealed++;
      }
    });
    if (sealed > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return sealed;
  }

  private depth = 0;

  /**
   * Runs `fn` in one transaction: all of its writes land, or none.
   *
   * Re-entrant: libsql does not nest transactions, so an inner call joins the outer one.
   */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    try {
      return this.write(() => {
        this.db.exec('BEGIN');
        try {
          const result = fn();
          this.db.exec('COMMIT');
          return result;
        } catch (error) {
          // SQLite has already rolled back when a COMMIT fails on a full disk; a second
          // ROLLBACK would fail with "no transaction is active" and hide the real error.
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      });
    } finally {
      this.depth--;
    }
  }

  /** The stored job, read afresh (to undo in memory what a failed write did not store). */
  loadJob(jobId: JobId): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(jobId) as JobRow | undefined;
    if (row === undefined) return undefined;
    const files = this.db
      .prepare('SELECT * FROM files WHERE job_id = ? ORDER BY idx')
      .all(jobId)
      .map((file) => rowToFile(file as FileRow));
    return rowToJob(row, files, this.secrets);
  }

  /**
   * Runs a write, turning SQLite's failures into STORE_FAILED naming the database: a full
   * disk says so (sysCode ENOSPC), instead of surfacing as an internal error.
   */
  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof FerryError) throw cause;
      throw storeError(this.path, cause);
    }
  }

  /**
   * Runs `fn` in one transaction committed without a full sync (WAL, synchronous NORMAL): for
   * progress records, which a power loss may roll back to an older, still true, record (the
   * durable watermark never claims bytes that were not synced). Every other commit is FULL.
   */
  progressTransaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}
