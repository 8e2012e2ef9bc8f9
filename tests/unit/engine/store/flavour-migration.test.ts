// A store written before jobs had a flavour and time limits, opened by this version: its jobs
// become BITS jobs with the default maximum download time, no active time used, and their
// last activity at their last modification (so the inactivity rule counts from there).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { openDatabase, schemaVersion } from '../../../../main/engine/store/database.js';
import { JobRepo } from '../../../../main/engine/store/job-repo.js';
import { MIGRATIONS } from '../../../../main/engine/store/migrations.js';
import { createSecretBox } from '../../../../main/engine/store/secret-box.js';

describe('store migration: job flavour and time limits', () => {
  it('upgrades jobs stored before it to BITS with the 90-day limit, counted from their last change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-flavour-migration-'));
    try {
      const path = join(dir, 'ferry.db');
      const mine = MIGRATIONS.findIndex((sql) => sql.includes('ADD COLUMN flavour'));
      assert.ok(mine > 0, 'the flavour migration exists');
      // The store as the version before it left it.
      const old = new Database(path);
      for (const sql of MIGRATIONS.slice(0, mine)) old.exec(sql);
      old.pragma(`user_version = ${String(mine)}`);
      old
        .prepare(
          `INSERT INTO jobs (id, seq, type, display_name, description, state, priority, owner,
             creation_time, modification_time, min_retry_delay, no_progress_timeout,
             notify_flags, proxy, custom_headers, error_count)
           VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 1, 'DOWNLOAD', 'old', '', 'SUSPENDED',
             'NORMAL', 'alice', 1000, 123456, 600, 1209600, 3,
             '{"usage":"PRECONFIG","proxyList":[],"bypassList":[]}', '[]', 0)`,
        )
        .run();
      old.close();

      const db = openDatabase(path);
      try {
        assert.equal(schemaVersion(db), MIGRATIONS.length);
        const [job] = new JobRepo(db, createSecretBox(Buffer.alloc(32, 1))).loadJobs();
        assert.ok(job !== undefined);
        assert.equal(job.flavour, 'BITS');
        assert.equal(job.maximumDownloadTime, 7_776_000);
        assert.equal(job.activeTime, 0);
        assert.equal(job.activeSince, null);
        assert.equal(job.lastActivity, 123456);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
