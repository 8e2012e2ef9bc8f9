import { z } from 'zod';
import type { JobErrorInfo, JobId } from '../../../app/index.js';
import {
  DEFAULT_TRANSFER_POLICY,
  FerryError,
  JOB_FLAVOURS,
  JOB_PRIORITIES,
  JOB_STATES,
  JOB_TYPES,
  proxySettingsSchema,
  setCustomHeadersInput,
  setNotifyCmdLineInput,
  setTransferPolicyInput,
} from '../../../app/index.js';
import { jobErrorSchema, jobIdValue } from '../../../app/output-schemas.js';
import { VALIDATION_OUTCOMES, expectedDigestSchema } from '../../../app/model/validation.js';
import { openCredentials, sealCredentials } from './sealed-credentials.js';
import { MASK } from '../../../app/secret-mask.js';
import { replaceCredential } from '../../../app/model/credentials.js';
import { splitUrlCredentials } from '../url-credentials.js';
import { errorText } from '../error-chain.js';
import type { FileRecord, JobRecord } from '../job-record.js';
import type { SqliteDatabase } from './database.js';
import type { SecretBox } from './secret-box.js';
import { jsonText, parseStored, rowName } from './stored-value.js';
import type { Statement } from 'libsql';

const count = z.number().int().nonnegative();
const time = z.number();

/**
 * A row of `jobs` as SQLite returns it, checked on the way back in; JSON columns stay text
 * here (they are written as text) and are parsed in rowToJob.
 */
const jobRowSchema = z.object({
  id: jobIdValue,
  seq: z.number().int(),
  type: z.enum(JOB_TYPES),
  display_name: z.string(),
  description: z.string(),
  state: z.enum(JOB_STATES),
  priority: z.enum(JOB_PRIORITIES),
  owner: z.string(),
  creation_time: time,
  modification_time: time,
  transfer_completion_time: time.nullable(),
  min_retry_delay: z.number().nonnegative(),
  no_progress_timeout: z.number().nonnegative(),
  notify_flags: count,
  notify_cmdline: z.string().nullable(),
  proxy: z.string(),
  custom_headers: z.string(),
  transfer_policy: z.string(),
  error_count: count,
  error: z.string().nullable(),
  no_progress_since: time.nullable(),
  retry_at: time.nullable(),
  flavour: z.enum(JOB_FLAVOURS),
  max_download_time: z.number().nonnegative(),
  active_time: z.number().nonnegative(),
  active_since: time.nullable(),
  last_activity: time,
  credentials: z.string(),
});
type JobRow = z.output<typeof jobRowSchema>;

/** The JSON columns of a job, once opened: the same schemas as the commands that set them. */
const jobValuesSchema = z.object({
  notify_cmdline: jsonText(setNotifyCmdLineInput.shape.cmdLine).nullable(),
  proxy: jsonText(proxySettingsSchema),
  custom_headers: jsonText(setCustomHeadersInput.shape.headers),
  // Rows written before a field existed lack it: the default fills it in (rowToJob).
  transfer_policy: jsonText(z.object(setTransferPolicyInput.omit({ jobId: true }).shape)),
  error: jsonText(jobErrorSchema).nullable(),
});

/** Byte ranges as a segmented file stores them: [start, end) pairs. */
const spans = z.array(
  z.tuple([count, count]).refine(([start, end]) => start <= end, 'is reversed'),
);

/** A row of `files` as SQLite returns it. */
const fileRowSchema = z.object({
  job_id: jobIdValue,
  idx: count,
  remote_name: z.string(),
  local_name: z.string(),
  temp_name: z.string(),
  name_from_server: z.number().int(),
  bytes_total: count.nullable(),
  bytes_on_disk: count,
  etag: z.string().nullable(),
  last_modified: z.string().nullable(),
  transferred: z.number().int(),
  completed: z.number().int(),
  segments: z.string().nullable(),
  bytes_durable: count,
  segments_durable: z.string().nullable(),
  boot_id: z.string().nullable(),
  digest: z.string().nullable(),
  validation: z.enum(VALIDATION_OUTCOMES),
  valid: z.number().int(),
  checksum_url: z.string().nullable(),
});
type FileRow = z.output<typeof fileRowSchema>;

/** The JSON columns of a file. */
const fileValuesSchema = z.object({
  segments: jsonText(spans).nullable(),
  segments_durable: jsonText(spans).nullable(),
  digest: jsonText(expectedDigestSchema).nullable(),
});

/** A row of `job_errors` (one entry of a job's error log). */
const errorRowSchema = z.object({ job_id: z.string(), error: jsonText(jobErrorSchema) });
const settingRowSchema = z.object({ value: z.string() }).optional();
const nextSeqSchema = z.object({ next: z.number().int() });
const sealRowSchema = z.object({ id: z.string(), proxy: z.string(), custom_headers: z.string() });
const settingsRowsSchema = z.array(z.object({ key: z.string(), value: z.string() }));
const urlRowsSchema = z.array(
  z.object({ job_id: z.string(), idx: z.number().int(), remote_name: z.string() }),
);
const credentialsRowSchema = z.object({ credentials: z.string() });
const errorRowsSchema = z.array(
  z.object({ id: z.union([z.string(), z.number()]), error: z.string().nullable() }),
);
/** A URL's `scheme://user:` and password before `@`, inside JSON text (no quote crossed). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#"]*:)(?!\*\*\*@)[^\s@/?#"]+@/gi;

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
  'flavour',
  'max_download_time',
  'active_time',
  'active_since',
  'last_activity',
  'credentials',
] as const;

const FILE_COLUMNS = [
  'job_id',
  'idx',
  'remote_name',
  'local_name',
  'temp_name',
  'name_from_server',
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
  'digest',
  'validation',
  'valid',
  'checksum_url',
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
    flavour: job.flavour,
    max_download_time: job.maximumDownloadTime,
    active_time: job.activeTime,
    active_since: job.activeSince,
    last_activity: job.lastActivity,
    credentials: sealCredentials(secrets, job.credentials),
  };
}

function fileToRow(jobId: JobId, file: FileRecord): FileRow {
  return {
    job_id: jobId,
    idx: file.index,
    remote_name: file.remoteName,
    local_name: file.localName,
    temp_name: file.tempName,
    name_from_server: file.nameFromServer ? 1 : 0,
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
    digest: file.validation.digest === null ? null : JSON.stringify(file.validation.digest),
    validation: file.validation.outcome,
    valid: file.validation.valid ? 1 : 0,
    checksum_url: file.validation.checksumUrl,
  };
}

/** A stored file, checked: STORE_FAILED naming the job and file when its row is corrupt. */
function rowToFile(raw: unknown, path: string): { jobId: JobId; file: FileRecord } {
  const what = `${rowName('file of job', raw, 'job_id')} (${rowName('index', raw, 'idx')})`;
  const row = parseStored(fileRowSchema, raw, what, path);
  const values = parseStored(fileValuesSchema, row, what, path);
  const file: FileRecord = {
    index: row.idx,
    remoteName: row.remote_name,
    localName: row.local_name,
    tempName: row.temp_name,
    nameFromServer: row.name_from_server !== 0,
    bytesTotal: row.bytes_total,
    bytesOnDisk: row.bytes_on_disk,
    bytesLive: 0,
    segments: values.segments,
    bytesDurable: row.bytes_durable,
    segmentsDurable: values.segments_durable,
    bootId: row.boot_id,
    validator:
      row.etag === null && row.last_modified === null
        ? null
        : { etag: row.etag, lastModified: row.last_modified },
    transferred: row.transferred !== 0,
    completed: row.completed !== 0,
    validation: {
      digest: values.digest,
      outcome: row.validation,
      valid: row.valid !== 0,
      checksumUrl: row.checksum_url,
    },
  };
  return { jobId: row.job_id, file };
}

/** A stored job, checked: STORE_FAILED naming the job when its row is corrupt. */
function rowToJob(
  raw: unknown,
  filesOf: (jobId: JobId) => FileRecord[],
  secrets: SecretBox,
  path: string,
): JobRecord {
  const what = rowName('job', raw);
  const row = parseStored(jobRowSchema, raw, what, path);
  const values = parseStored(
    jobValuesSchema,
    { ...row, proxy: secrets.open(row.proxy), custom_headers: secrets.open(row.custom_headers) },
    what,
    path,
  );
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    displayName: row.display_name,
    description: row.description,
    state: row.state,
    priority: row.priority,
    owner: row.owner,
    creationTime: row.creation_time,
    modificationTime: row.modification_time,
    transferCompletionTime: row.transfer_completion_time,
    minimumRetryDelay: row.min_retry_delay,
    noProgressTimeout: row.no_progress_timeout,
    notifyFlags: row.notify_flags,
    notifyCmdLine: values.notify_cmdline,
    proxy: values.proxy,
    customHeaders: values.custom_headers,
    transferPolicy: { ...DEFAULT_TRANSFER_POLICY, ...definedFields(values.transfer_policy) },
    errorCount: row.error_count,
    error: values.error,
    noProgressSince: row.no_progress_since,
    retryAt: row.retry_at,
    flavour: row.flavour,
    maximumDownloadTime: row.max_download_time,
    activeTime: row.active_time,
    activeSince: row.active_since,
    lastActivity: row.last_activity,
    credentials: openCredentials(secrets, row.credentials),
    files: filesOf(row.id),
  };
}

/** The fields of `value` that are set (a stored policy from before a field existed lacks it). */
function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
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
      const { jobId, file } = rowToFile(row, this.path);
      let list = files.get(jobId);
      if (list === undefined) files.set(jobId, (list = []));
      list.push(file);
    }
    return this.db
      .prepare('SELECT * FROM jobs ORDER BY seq')
      .all()
      .map((row) => rowToJob(row, (id) => files.get(id) ?? [], this.secrets, this.path));
  }

  /** The queue position for the next new job. */
  nextSeq(): number {
    const row = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM jobs').get();
    return parseStored(nextSeqSchema, row, 'job order (seq)', this.path).next;
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
      for (const raw of this.db.prepare('SELECT job_id, error FROM job_errors ORDER BY id').all()) {
        const row = this.errorRow(raw);
        let log = this.errorLogs.get(row.job_id);
        if (log === undefined) this.errorLogs.set(row.job_id, (log = []));
        log.push(row.error);
      }
      this.staleErrorLogs.clear();
    }
    if (this.staleErrorLogs.delete(jobId)) {
      this.listErrorsStmt ??= this.db.prepare(
        'SELECT job_id, error FROM job_errors WHERE job_id = ? ORDER BY id',
      );
      this.errorLogs.set(
        jobId,
        this.listErrorsStmt.all(jobId).map((raw) => this.errorRow(raw).error),
      );
    }
    return [...(this.errorLogs.get(jobId) ?? [])];
  }

  /** One entry of an error log, checked. */
  private errorRow(raw: unknown): z.output<typeof errorRowSchema> {
    return parseStored(
      errorRowSchema,
      raw,
      rowName('error log entry of job', raw, 'job_id'),
      this.path,
    );
  }

  /** Deletes a job with its files and errors. */
  deleteJob(jobId: JobId): void {
    this.write(() => this.db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId));
    this.errorLogs?.delete(jobId);
    this.staleErrorLogs.delete(jobId);
  }

  /**
   * A stored setting checked against `schema`, or undefined when none is stored; STORE_FAILED
   * naming the setting when the stored value does not fit.
   */
  getSetting<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
    const what = `setting "${key}"`;
    const row = parseStored(
      settingRowSchema,
      this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key),
      what,
      this.path,
    );
    if (row === undefined) return undefined;
    return parseStored(jsonText(schema), this.secrets.open(row.value), what, this.path);
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
   * settings, the `user:password@` of file URLs) and returns how many values it sealed.
   *
   * The store runs with `secure_delete`, and the WAL is truncated afterwards, so the clear
   * text does not linger in free pages or old frames.
   */
  sealClearSecrets(): number {
    let sealed = 0;
    this.transaction(() => {
      const jobs = this.db
        .prepare('SELECT id, proxy, custom_headers FROM jobs')
        .all()
        .map((row) => parseStored(sealRowSchema, row, rowName('job', row), this.path));
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
      sealed += this.moveUrlCredentials();
      const settings = parseStored(
        settingsRowsSchema,
        this.db.prepare('SELECT key, value FROM settings').all(),
        'settings table',
        this.path,
      );
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

  /**
   * Moves the `user:password@` of file URLs stored before AddFile split them off into the
   * job's sealed SERVER credentials (as AddFile does now: url-credentials.ts), and masks such
   * passwords in stored error texts; returns how many rows it changed. A scheme the job already
   * has credentials for keeps them: they were set later, with SetCredentials.
   */
  private moveUrlCredentials(): number {
    let changed = 0;
    const files = parseStored(
      urlRowsSchema,
      this.db
        .prepare("SELECT job_id, idx, remote_name FROM files WHERE remote_name LIKE '%@%'")
        .all(),
      'files table',
      this.path,
    );
    const readCredentials = this.db.prepare('SELECT credentials FROM jobs WHERE id = ?');
    const updateFile = this.db.prepare(
      'UPDATE files SET remote_name = ? WHERE job_id = ? AND idx = ?',
    );
    const updateCredentials = this.db.prepare('UPDATE jobs SET credentials = ? WHERE id = ?');
    for (const file of files) {
      const split = splitUrlCredentials(file.remote_name);
      if (split.credentials.length === 0) continue;
      const stored = parseStored(
        credentialsRowSchema,
        readCredentials.get(file.job_id),
        `job ${file.job_id}`,
        this.path,
      );
      let credentials = openCredentials(this.secrets, stored.credentials);
      for (const credential of split.credentials) {
        const held = credentials.some(
          (c) => c.target === credential.target && c.scheme === credential.scheme,
        );
        if (!held) credentials = replaceCredential(credentials, credential);
      }
      updateCredentials.run(sealCredentials(this.secrets, credentials), file.job_id);
      updateFile.run(split.remoteUrl, file.job_id, file.idx);
      changed++;
    }
    for (const table of ['jobs', 'job_errors'] as const) {
      const rows = parseStored(
        errorRowsSchema,
        this.db.prepare(`SELECT id, error FROM ${table} WHERE error LIKE '%@%'`).all(),
        `${table} table`,
        this.path,
      );
      const update = this.db.prepare(`UPDATE ${table} SET error = ? WHERE id = ?`);
      for (const row of rows) {
        if (row.error === null) continue;
        const masked = row.error.replace(URL_PASSWORD, (_all, head: string) => `${head}${MASK}@`);
        if (masked === row.error) continue;
        update.run(masked, row.id);
        changed++;
      }
    }
    return changed;
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
    const row: unknown = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(jobId);
    if (row === undefined) return undefined;
    const files = this.db
      .prepare('SELECT * FROM files WHERE job_id = ? ORDER BY idx')
      .all(jobId)
      .map((file) => rowToFile(file, this.path).file);
    return rowToJob(row, () => files, this.secrets, this.path);
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
