import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import type { JobErrorInfo, JobId } from '../../../../app/index.js';
import { hasErrorCode } from '../../../../app/index.js';
import type { FileRecord, JobRecord } from '../../../../main/engine/job-record.js';
import { openDatabase, schemaVersion } from '../../../../main/engine/store/database.js';
import type { SqliteDatabase } from '../../../../main/engine/store/database.js';
import { JobRepo } from '../../../../main/engine/store/job-repo.js';
import { MIGRATIONS } from '../../../../main/engine/store/migrations.js';
import { createSecretBox } from '../../../../main/engine/store/secret-box.js';

const TEST_BOX = createSecretBox(Buffer.alloc(32, 7));

const ID_A = '0f8fad5b-d9cb-469f-a165-70867728950e' as JobId;
const ID_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7' as JobId;

const ERROR: JobErrorInfo = {
  context: 'REMOTE_FILE',
  code: 'HTTP_SERVER_ERROR',
  message: 'Server said 503',
  fileIndex: 1,
  httpStatus: 503,
  sysCode: null,
  protocol: 'https',
  time: 1_700_000_000_123,
};

function file(index: number, overrides: Partial<FileRecord> = {}): FileRecord {
  return {
    index,
    remoteName: `https://example.com/${index}.bin`,
    localName: `/data/${index}.bin`,
    nameFromServer: index === 1,
    tempName: `/data/.${index}.bin.0f8fad5b-${index}.ferry-part`,
    bytesTotal: 1000 + index,
    bytesOnDisk: 10 * index,
    bytesLive: 0,
    segments: null,
    bytesDurable: 5 * index,
    segmentsDurable: null,
    bootId: index === 0 ? null : 'linux:test-boot',
    validator: { etag: `"etag-${index}"`, lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' },
    transferred: false,
    completed: false,
    validation: { digest: null, outcome: 'unchecked', valid: false, checksumUrl: null },
    ...overrides,
  };
}

/** A job with every optional field set. */
function fullJob(id: JobId, seq: number): JobRecord {
  return {
    id,
    seq,
    type: 'DOWNLOAD',
    flavour: 'DO',
    displayName: 'Nightly build',
    description: 'Fetches the nightly — with “quotes” and ünïcödé',
    state: 'TRANSIENT_ERROR',
    priority: 'HIGH',
    owner: 'alice',
    creationTime: 1_700_000_000_000,
    modificationTime: 1_700_000_000_500,
    transferCompletionTime: 1_700_000_001_000,
    minimumRetryDelay: 7.5,
    noProgressTimeout: 1_209_600,
    maximumDownloadTime: 3600.5,
    activeTime: 12_345,
    activeSince: 1_700_000_000_100,
    lastActivity: 1_700_000_000_400,
    notifyFlags: 0x1b,
    notifyCmdLine: { program: '/usr/bin/notify-send', args: ['Ferry', 'done "x"'] },
    proxy: { usage: 'OVERRIDE', proxyList: ['proxy:8080'], bypassList: ['<local>', '*.lan'] },
    customHeaders: ['X-Token: abc', 'Accept: */*'],
    transferPolicy: {
      connectionsPerFile: null,
      speedLimit: 0,
      completeWhenTransferred: false,
      trustedCertificates: [],
    },
    errorCount: 3,
    error: ERROR,
    noProgressSince: 1_700_000_000_200,
    retryAt: 1_700_000_600_200,
    credentials: [
      { target: 'SERVER', scheme: 'DIGEST', userName: 'alice', password: 'pw' },
      { target: 'PROXY', scheme: 'BASIC', userName: 'bob', password: '' },
    ],
    files: [
      file(0, {
        transferred: true,
        completed: true,
        bytesOnDisk: 1000,
        validation: {
          digest: { algorithm: 'md5', hex: 'd41d8cd98f00b204e9800998ecf8427e', source: 'server' },
          outcome: 'verified',
          valid: true,
          checksumUrl: 'https://example.com/SHA256SUMS',
        },
      }),
      file(1, { bytesTotal: null, validator: null }),
      file(2, { validator: { etag: null, lastModified: 'Thu, 01 Jan 2015 00:00:00 GMT' } }),
      file(3, { validator: { etag: 'W/"weak"', lastModified: null } }),
    ],
  };
}

/** A job with every nullable field null and no files. */
function bareJob(id: JobId, seq: number): JobRecord {
  return {
    id,
    seq,
    type: 'DOWNLOAD',
    flavour: 'BITS',
    displayName: 'bare',
    description: '',
    state: 'SUSPENDED',
    priority: 'NORMAL',
    owner: 'bob',
    creationTime: 1,
    modificationTime: 2,
    transferCompletionTime: null,
    minimumRetryDelay: 600,
    noProgressTimeout: 0,
    maximumDownloadTime: 0,
    activeTime: 0,
    activeSince: null,
    lastActivity: 2,
    notifyFlags: 3,
    notifyCmdLine: null,
    proxy: { usage: 'PRECONFIG', proxyList: [], bypassList: [] },
    customHeaders: [],
    transferPolicy: {
      connectionsPerFile: null,
      speedLimit: 0,
      completeWhenTransferred: false,
      trustedCertificates: [],
    },
    errorCount: 0,
    error: null,
    noProgressSince: null,
    retryAt: null,
    credentials: [],
    files: [],
  };
}

describe('openDatabase', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the file in WAL mode at the latest schema version', () => {
    const db = openDatabase(join(dir, 'nested', 'ferry.db'));
    try {
      // libsql ignores `{ simple: true }`, so read whole rows.
      assert.deepEqual(db.pragma('journal_mode'), [{ journal_mode: 'wal' }]);
      assert.deepEqual(db.pragma('foreign_keys'), [{ foreign_keys: 1 }]);
      assert.deepEqual(db.pragma('synchronous'), [{ synchronous: 2 }]); // FULL
      assert.ok(MIGRATIONS.length >= 1);
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      for (const table of ['files', 'job_errors', 'jobs', 'settings']) {
        assert.ok(tables.includes(table), `table ${table} in ${tables.join(', ')}`);
      }
    } finally {
      db.close();
    }
  });

  it('does not run migrations again on reopen, and keeps the data', () => {
    const path = join(dir, 'ferry.db');
    const first = openDatabase(path);
    new JobRepo(first, TEST_BOX).insertJob(bareJob(ID_A, 1));
    first.close();

    // Were migration 1 run again, CREATE TABLE jobs would throw "table jobs already exists".
    const second = openDatabase(path);
    try {
      assert.equal(schemaVersion(second), MIGRATIONS.length);
      const jobs = new JobRepo(second, TEST_BOX).loadJobs();
      assert.deepEqual(
        jobs.map((j) => j.id),
        [ID_A],
      );
    } finally {
      second.close();
    }
  });

  it('refuses a store with a newer schema version with STORE_FAILED', () => {
    const path = join(dir, 'ferry.db');
    const db = openDatabase(path);
    const newer = MIGRATIONS.length + 1;
    db.pragma(`user_version = ${newer}`);
    db.close();

    assert.throws(
      () => openDatabase(path),
      (error: unknown) => {
        assert.ok(hasErrorCode(error, 'STORE_FAILED'), String(error));
        const message = (error as Error).message;
        assert.ok(message.includes(`schema version ${newer}`), message);
        assert.ok(message.includes(path), message);
        return true;
      },
    );
  });
  it('refuses a folder in place of the store file with STORE_FAILED', () => {
    const path = join(dir, 'ferry.db');
    mkdirSync(path);
    assert.throws(() => openDatabase(path), { code: 'STORE_FAILED' });
  });

  // Regression: a corrupt or foreign file surfaced as libsql's raw SqliteError (SQLITE_NOTADB)
  // from the first PRAGMA, which callers could only report as INTERNAL.
  it('refuses a file that is not a database with STORE_FAILED', () => {
    const path = join(dir, 'ferry.db');
    writeFileSync(path, 'not a database '.repeat(100));
    assert.throws(() => openDatabase(path), { code: 'STORE_FAILED' });
  });
});

describe('JobRepo', () => {
  let dir = '';
  let db: SqliteDatabase;
  let repo: JobRepo;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-repo-'));
    db = openDatabase(join(dir, 'ferry.db'));
    repo = new JobRepo(db, TEST_BOX);
  });
  afterEach(() => {
    if (db.open) repo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Loads the one job with this id from the store. */
  function load(id: JobId): JobRecord | undefined {
    return repo.loadJobs().find((j) => j.id === id);
  }

  it('round-trips a full job with its files and JSON columns', () => {
    const job = fullJob(ID_A, 1);
    repo.insertJob(job);
    assert.deepEqual(load(ID_A), job);
  });

  it('round-trips a job whose nullable fields are all null', () => {
    const job = bareJob(ID_B, 1);
    repo.insertJob(job);
    assert.deepEqual(load(ID_B), job);
  });

  it('round-trips through a reopen of the file', () => {
    repo.insertJob(fullJob(ID_A, 1));
    repo.close();
    db = openDatabase(join(dir, 'ferry.db'));
    repo = new JobRepo(db, TEST_BOX);
    assert.deepEqual(load(ID_A), fullJob(ID_A, 1));
  });

  it('never persists live bytes', () => {
    const job = fullJob(ID_A, 1);
    job.files[1] = file(1, { bytesOnDisk: 100, bytesLive: 900 });
    repo.insertJob(job);
    const loaded = load(ID_A)?.files[1];
    assert.ok(loaded !== undefined);
    assert.equal(loaded.bytesLive, 0);
    assert.equal(loaded.bytesOnDisk, 100);
  });

  it('loads jobs in seq order and files in index order', () => {
    repo.insertJob({ ...bareJob(ID_B, 7), files: [file(2), file(0), file(1)] });
    repo.insertJob(bareJob(ID_A, 3));
    const jobs = repo.loadJobs();
    assert.deepEqual(
      jobs.map((j) => j.id),
      [ID_A, ID_B],
    );
    assert.deepEqual(
      jobs[1]?.files.map((f) => f.index),
      [0, 1, 2],
    );
  });

  it('nextSeq starts at 1 and follows the largest seq', () => {
    assert.equal(repo.nextSeq(), 1);
    repo.insertJob(bareJob(ID_A, repo.nextSeq()));
    assert.equal(repo.nextSeq(), 2);
    repo.insertJob(bareJob(ID_B, 41));
    assert.equal(repo.nextSeq(), 42);
    repo.deleteJob(ID_B);
    assert.equal(repo.nextSeq(), 2);
  });

  it('refuses a second job with the same seq and stores nothing of it', () => {
    repo.insertJob(bareJob(ID_A, 1));
    assert.throws(() => {
      repo.insertJob({ ...fullJob(ID_B, 1) });
    });
    assert.equal(load(ID_B), undefined);
    const count = db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number };
    assert.equal(count.n, 0);
  });

  it('saveJob writes every job column but leaves files alone', () => {
    repo.insertJob(fullJob(ID_A, 1));
    const job = bareJob(ID_A, 1);
    job.displayName = 'renamed';
    job.state = 'ERROR';
    job.priority = 'LOW';
    job.files = [];
    repo.saveJob(job);
    const loaded = load(ID_A);
    assert.deepEqual({ ...loaded, files: [] }, job);
    assert.equal(loaded?.files.length, 4);
  });

  it('saveFile writes every column of one file', () => {
    repo.insertJob(fullJob(ID_A, 1));
    const changed = file(1, {
      remoteName: 'https://mirror.example.com/1.bin',
      bytesTotal: 5000,
      bytesOnDisk: 5000,
      validator: { etag: '"new"', lastModified: null },
      transferred: true,
      completed: true,
    });
    repo.saveFile(ID_A, changed);
    const loaded = load(ID_A);
    assert.deepEqual(loaded?.files[1], changed);
    assert.deepEqual(loaded.files[0], fullJob(ID_A, 1).files[0]);
    assert.deepEqual(loaded.files[2], fullJob(ID_A, 1).files[2]);
  });

  it('insertFiles adds files to an existing job', () => {
    repo.insertJob(bareJob(ID_A, 1));
    repo.insertFiles(ID_A, [file(0), file(1)]);
    assert.deepEqual(load(ID_A)?.files, [file(0), file(1)]);
  });

  it('checkpointFile updates only the watermarks of one file', () => {
    repo.insertJob(fullJob(ID_A, 1));
    const expected = fullJob(ID_A, 1);
    const segments: [number, number][] = [
      [0, 100],
      [500, 777],
    ];
    const checkpointed = {
      ...file(2),
      ...expected.files[2],
      bytesOnDisk: 377,
      segments,
      bytesDurable: 100,
      segmentsDurable: [[0, 100]] as [number, number][],
      bootId: 'linux:another-boot',
    };
    repo.checkpointFile(ID_A, checkpointed);
    expected.files[2] = checkpointed;
    assert.deepEqual(load(ID_A), expected);
  });

  it('appendError and listErrors keep a per-job log, oldest first', () => {
    repo.insertJob(bareJob(ID_A, 1));
    repo.insertJob(bareJob(ID_B, 2));
    const second: JobErrorInfo = {
      ...ERROR,
      code: 'NET_CONNECTION_RESET',
      context: 'GENERAL_TRANSPORT',
      httpStatus: null,
      fileIndex: null,
      sysCode: 'ECONNRESET',
      protocol: null,
      time: ERROR.time - 5000,
    };
    repo.appendError(ID_A, ERROR);
    repo.appendError(ID_B, second);
    repo.appendError(ID_A, second);
    assert.deepEqual(repo.listErrors(ID_A), [ERROR, second]);
    assert.deepEqual(repo.listErrors(ID_B), [second]);
    assert.deepEqual(repo.listErrors('00000000-0000-0000-0000-000000000000' as JobId), []);
  });

  it('deleteJob removes the job, its files and its errors, and nothing else', () => {
    repo.insertJob(fullJob(ID_A, 1));
    repo.insertJob({ ...fullJob(ID_B, 2) });
    repo.appendError(ID_A, ERROR);
    repo.appendError(ID_B, ERROR);
    repo.deleteJob(ID_A);

    assert.equal(load(ID_A), undefined);
    assert.deepEqual(repo.listErrors(ID_A), []);
    const orphans = db.prepare('SELECT COUNT(*) AS n FROM files WHERE job_id = ?').get(ID_A) as {
      n: number;
    };
    assert.equal(orphans.n, 0);
    assert.deepEqual(load(ID_B), fullJob(ID_B, 2));
    assert.deepEqual(repo.listErrors(ID_B), [ERROR]);
  });

  it('refuses files and errors of a job that does not exist', () => {
    assert.throws(() => {
      repo.insertFiles(ID_A, [file(0)]);
    });
    assert.throws(() => {
      repo.appendError(ID_A, ERROR);
    });
  });

  it('stores settings as JSON and overwrites them', () => {
    assert.equal(repo.getSetting('maxConcurrentJobs', z.number()), undefined);
    repo.setSetting('maxConcurrentJobs', 3);
    repo.setSetting('userAgent', 'Ferry/0.1');
    repo.setSetting('nested', { a: [1, 'two', null], b: true });
    assert.equal(repo.getSetting('maxConcurrentJobs', z.number()), 3);
    repo.setSetting('maxConcurrentJobs', 5);
    assert.equal(repo.getSetting('maxConcurrentJobs', z.number()), 5);
    assert.equal(repo.getSetting('userAgent', z.string()), 'Ferry/0.1');
    assert.deepEqual(repo.getSetting('nested', z.unknown()), { a: [1, 'two', null], b: true });
  });

  it('transaction rolls back every write when its function throws', () => {
    assert.throws(
      () =>
        repo.transaction(() => {
          repo.insertJob(bareJob(ID_A, 1));
          repo.setSetting('k', 1);
          throw new Error('abort');
        }),
      /abort/,
    );
    assert.deepEqual(repo.loadJobs(), []);
    assert.equal(repo.getSetting('k', z.number()), undefined);
    assert.equal(
      repo.transaction(() => 42),
      42,
    );
  });
});

describe('JobRepo reading a store corrupted by hand', () => {
  let dir = '';
  let path = '';
  let db: SqliteDatabase;
  let repo: JobRepo;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-corrupt-'));
    path = join(dir, 'ferry.db');
    db = openDatabase(path);
    repo = new JobRepo(db, TEST_BOX, path);
    repo.insertJob(fullJob(ID_A, 1));
    repo.insertJob(bareJob(ID_B, 2));
  });
  afterEach(() => {
    if (db.open) repo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs SQL on the closed file, as a user with the sqlite3 shell would, and reopens it. */
  function corrupt(sql: string): void {
    repo.close();
    const raw = openDatabase(path);
    raw.exec(sql);
    raw.close();
    db = openDatabase(path);
    repo = new JobRepo(db, TEST_BOX, path);
  }

  /** Asserts `fn` throws STORE_FAILED whose message names the store and every given part. */
  function assertStoreFailed(fn: () => unknown, ...parts: string[]): void {
    assert.throws(fn, (error: unknown) => {
      assert.ok(hasErrorCode(error, 'STORE_FAILED'), `not STORE_FAILED: ${String(error)}`);
      const message = error instanceof Error ? error.message : '';
      for (const part of [path, ...parts]) assert.ok(message.includes(part), message);
      return true;
    });
  }

  it('a state outside the nine names is STORE_FAILED naming the job and the column', () => {
    corrupt(`UPDATE jobs SET state = 'DONE-ISH' WHERE id = '${ID_B}'`);
    assertStoreFailed(() => repo.loadJobs(), `job ${ID_B}`, 'state');
    assertStoreFailed(() => repo.loadJob(ID_B), `job ${ID_B}`, 'state');
    assert.deepEqual(repo.loadJob(ID_A), fullJob(ID_A, 1));
  });

  it('a number column holding text is STORE_FAILED, not a string in a number field', () => {
    corrupt(`UPDATE jobs SET error_count = 'three' WHERE id = '${ID_A}'`);
    assertStoreFailed(() => repo.loadJobs(), `job ${ID_A}`, 'error_count');
  });

  it('a JSON column that is not JSON is STORE_FAILED naming the column', () => {
    corrupt(`UPDATE jobs SET transfer_policy = '{"speedLimit": 5' WHERE id = '${ID_A}'`);
    assertStoreFailed(() => repo.loadJobs(), `job ${ID_A}`, 'transfer_policy is not valid JSON');
  });

  it('stored proxy settings of the wrong shape are STORE_FAILED, not cast', () => {
    corrupt(`UPDATE jobs SET proxy = '{"usage":"SOMETIMES","proxyList":[]}' WHERE id = '${ID_B}'`);
    assertStoreFailed(() => repo.loadJobs(), `job ${ID_B}`, 'proxy.usage');
  });

  it('a stored error without its code is STORE_FAILED naming the job', () => {
    corrupt(`UPDATE jobs SET error = '{"message":"x"}' WHERE id = '${ID_A}'`);
    assertStoreFailed(() => repo.loadJobs(), `job ${ID_A}`, 'error.code');
  });

  it('a transfer policy from before a field existed still gets the default', () => {
    corrupt(`UPDATE jobs SET transfer_policy = '{"speedLimit":7}' WHERE id = '${ID_B}'`);
    assert.deepEqual(repo.loadJob(ID_B)?.transferPolicy, {
      connectionsPerFile: null,
      speedLimit: 7,
      completeWhenTransferred: false,
      trustedCertificates: [],
    });
  });

  it('a corrupt file row names its job and index', () => {
    corrupt(`UPDATE files SET segments = '[[50, 10]]' WHERE job_id = '${ID_A}' AND idx = 2`);
    assertStoreFailed(() => repo.loadJobs(), `file of job ${ID_A}`, 'index 2', 'segments');
    assertStoreFailed(() => repo.loadJob(ID_A), `file of job ${ID_A}`, 'index 2');
  });

  it('a corrupt entry of an error log is STORE_FAILED naming the job', () => {
    repo.appendError(ID_A, ERROR);
    corrupt(`UPDATE job_errors SET error = '{"code": 7}' WHERE job_id = '${ID_A}'`);
    assertStoreFailed(() => repo.listErrors(ID_A), `error log entry of job ${ID_A}`, 'error.code');
  });

  it('a stored setting of the wrong type is STORE_FAILED naming the setting', () => {
    repo.setSetting('engine', { maxConcurrentJobs: 4 });
    corrupt(`UPDATE settings SET value = '{"maxConcurrentJobs":"four"}' WHERE key = 'engine'`);
    assertStoreFailed(
      () => repo.getSetting('engine', z.object({ maxConcurrentJobs: z.number() })),
      'setting "engine"',
      'maxConcurrentJobs',
    );
  });
});
