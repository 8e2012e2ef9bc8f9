/**
 * The store's schema, as an ordered list of migrations.
 *
 * Migration N (1-based) moves `PRAGMA user_version` from N-1 to N. Never edit a shipped
 * migration: append a new one, so every existing data directory upgrades the same way.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    type TEXT NOT NULL,
    display_name TEXT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL,
    priority TEXT NOT NULL,
    owner TEXT NOT NULL,
    creation_time INTEGER NOT NULL,
    modification_time INTEGER NOT NULL,
    transfer_completion_time INTEGER,
    min_retry_delay REAL NOT NULL,
    no_progress_timeout REAL NOT NULL,
    notify_flags INTEGER NOT NULL,
    notify_cmdline TEXT,
    proxy TEXT NOT NULL,
    custom_headers TEXT NOT NULL,
    error_count INTEGER NOT NULL,
    error TEXT,
    no_progress_since INTEGER,
    retry_at INTEGER
  );
  CREATE TABLE files (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    remote_name TEXT NOT NULL,
    local_name TEXT NOT NULL,
    temp_name TEXT NOT NULL,
    bytes_total INTEGER,
    bytes_on_disk INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    transferred INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    PRIMARY KEY (job_id, idx)
  );
  CREATE TABLE job_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    error TEXT NOT NULL
  );
  CREATE INDEX job_errors_by_job ON job_errors(job_id);
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // v2: per-job connections per file and speed limit (TransferPolicy as JSON).
  `
  ALTER TABLE jobs ADD COLUMN transfer_policy TEXT NOT NULL
    DEFAULT '{"connectionsPerFile":null,"speedLimit":0}';
  `,
  // v3: the ranges of a segmented file that are on disk, as JSON [[start, end), ...]; NULL for
  // a file written front to back (bytes [0, bytes_on_disk) are on disk).
  `
  ALTER TABLE files ADD COLUMN segments TEXT;
  `,
  // v4: durability by boot. bytes_on_disk (and segments) become the written watermark, recorded
  // in boot boot_id; bytes_durable (and segments_durable) what was datasynced. Every record
  // before v4 was written after a sync, so it is durable as it stands.
  `
  ALTER TABLE files ADD COLUMN bytes_durable INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE files ADD COLUMN segments_durable TEXT;
  ALTER TABLE files ADD COLUMN boot_id TEXT;
  UPDATE files SET bytes_durable = bytes_on_disk, segments_durable = segments;
  `,
  // v5: each job's state log: transitions made for a power or session cause (state-log.ts).
  `
  CREATE TABLE job_state_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    state TEXT NOT NULL,
    cause TEXT NOT NULL
  );
  CREATE INDEX job_state_log_by_job ON job_state_log(job_id);
  `,
  // v6: a file named "as the server names it": its local name is a first guess until its
  // first response names it (response-name.ts).
  `
  ALTER TABLE files ADD COLUMN name_from_server INTEGER NOT NULL DEFAULT 0;
  `,
  // v7: upload and upload-reply jobs (upload-repo.ts): the file as it was at AddFile, the
  // server's session, and the reply (its file name, URL, progress, and whether Complete renamed
  // it). One row per upload job; download jobs have none.
  `
  CREATE TABLE upload_jobs (
    job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    source_size INTEGER,
    source_mtime REAL,
    session_id TEXT,
    session_url TEXT,
    session_closed INTEGER NOT NULL DEFAULT 0,
    reply_file_name TEXT,
    reply_url TEXT,
    reply_bytes_total INTEGER,
    reply_bytes INTEGER NOT NULL DEFAULT 0,
    reply_etag TEXT,
    reply_last_modified TEXT,
    reply_transferred INTEGER NOT NULL DEFAULT 0,
    reply_completed INTEGER NOT NULL DEFAULT 0
  );
  `,
  // v8: the job's flavour (BITS or DO) and its time limits: the maximum download time, the
  // active time used since the last Resume (active_since while a stint runs) and the last
  // method call or progress, which the inactivity rule counts from (time-limits.ts).
  `
  ALTER TABLE jobs ADD COLUMN flavour TEXT NOT NULL DEFAULT 'BITS';
  ALTER TABLE jobs ADD COLUMN max_download_time REAL NOT NULL DEFAULT 7776000;
  ALTER TABLE jobs ADD COLUMN active_time INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN active_since INTEGER;
  ALTER TABLE jobs ADD COLUMN last_activity INTEGER NOT NULL DEFAULT 0;
  UPDATE jobs SET last_activity = modification_time;
  `,
  // v9: job credentials (SetCredentials), sealed like every secret of the store ('' = none),
  // and each file's expected digest (JSON, null = none), the outcome of its check, BITS'
  // validation state and the checksum file its digest is read from (docs/credentials.md,
  // docs/validation.md).
  `
  ALTER TABLE jobs ADD COLUMN credentials TEXT NOT NULL DEFAULT '';
  ALTER TABLE files ADD COLUMN digest TEXT;
  ALTER TABLE files ADD COLUMN validation TEXT NOT NULL DEFAULT 'unchecked';
  ALTER TABLE files ADD COLUMN valid INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE files ADD COLUMN checksum_url TEXT;
  `,
];
