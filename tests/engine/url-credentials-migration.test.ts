// Jobs stored before AddFile split a URL's user:password@ into credentials kept the password
// in clear in ferry.db, in the file's URL (and in error texts quoting it), and a resume got a
// 401: the password was not used. Opening such a store moves it into the job's sealed SERVER
// credentials: no byte of the password stays in the store, and the job transfers with it.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'libsql';
import { MIGRATIONS } from '../../main/engine/store/migrations.js';
import { startAuthServer } from '../support/auth-server.js';
import type { AuthServer } from '../support/auth-server.js';
import { makeTempDir, startEngine, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';

const PASSWORD = 'Old-Url-Pw-4d1e8a-in-clear';
const JOB_ID = '3ab58b48-0c6e-4d7a-9d2f-5b7e1c2a9f10';
const body = Buffer.from('protected body\n'.repeat(1000));

let dir: TempDir;
let server: AuthServer;

before(async () => {
  dir = makeTempDir('ferry-url-creds-');
  server = await startAuthServer({ scheme: 'basic', user: 'alice', password: PASSWORD });
  server.setFile('/f.bin', { body });
});

after(async () => {
  await server.close();
  dir.cleanup();
});

/** Every byte of the store: the database and its journals. */
function storeBytes(data: string): Buffer {
  return Buffer.concat(
    readdirSync(data)
      .filter((name) => name.startsWith('ferry.db'))
      .map((name) => readFileSync(join(data, name))),
  );
}

/** A store as the version before credentials (schema v8) left it: the URL holds the login. */
function writeOldStore(data: string, url: string): void {
  mkdirSync(data, { recursive: true, mode: 0o700 });
  const before = MIGRATIONS.findIndex((sql) => sql.includes('ADD COLUMN credentials'));
  assert.ok(before > 0, 'the credentials migration exists');
  const db = new Database(join(data, 'ferry.db'));
  for (const sql of MIGRATIONS.slice(0, before)) db.exec(sql);
  db.pragma(`user_version = ${String(before)}`);
  // Recent times: a job untouched for 90 days would be cancelled by the inactivity rule.
  const now = Date.now();
  const error = {
    context: 'REMOTE_FILE',
    code: 'HTTP_ACCESS_DENIED',
    message: `HTTP 401 from ${url}: the server asks for a user name and password`,
    fileIndex: 0,
    httpStatus: 401,
    sysCode: null,
    protocol: 'http',
    time: now,
  };
  db.prepare(
    `INSERT INTO jobs (id, seq, type, display_name, description, state, priority, owner,
       creation_time, modification_time, min_retry_delay, no_progress_timeout, notify_flags,
       proxy, custom_headers, error_count, error, transfer_policy, last_activity)
     VALUES (?, 1, 'DOWNLOAD', 'old login', '', 'ERROR', 'NORMAL', 'tester', ?, ?, 0,
       1209600, 3, '{"usage":"PRECONFIG","proxyList":[],"bypassList":[]}', '[]', 1, ?,
       '{"connectionsPerFile":1,"speedLimit":0}', ?)`,
  ).run(JOB_ID, now, now, JSON.stringify(error), now);
  db.prepare('INSERT INTO job_errors (job_id, time, error) VALUES (?, ?, ?)').run(
    JOB_ID,
    now,
    JSON.stringify(error),
  );
  db.prepare(
    `INSERT INTO files (job_id, idx, remote_name, local_name, temp_name, bytes_on_disk,
       transferred, completed)
     VALUES (?, 0, ?, ?, ?, 0, 0, 0)`,
  ).run(JOB_ID, url, dir.file('out.bin'), dir.file('out.bin.ferry-tmp'));
  db.close();
}

describe("a stored URL's user:password@", () => {
  it('moves into the sealed SERVER credentials on start, leaving no byte of it in the store', async () => {
    const data = join(dir.path, 'data');
    const plainUrl = server.url('/f.bin');
    const withLogin = new URL(plainUrl);
    withLogin.username = 'alice';
    withLogin.password = PASSWORD;
    writeOldStore(data, withLogin.href);
    assert.notEqual(storeBytes(data).indexOf(PASSWORD), -1, 'the old store holds it in clear');

    let engine = startEngine(dir);
    try {
      assert.equal(storeBytes(data).indexOf(PASSWORD), -1, 'the password is in the store');
      const job = engine.getJob(JOB_ID);
      assert.equal(job.enumFiles()[0]?.remoteName, plainUrl);
      assert.deepEqual(job.getCredentials(), [
        { target: 'SERVER', scheme: 'BASIC', userName: 'alice' },
        { target: 'SERVER', scheme: 'DIGEST', userName: 'alice' },
      ]);
      assert.match(job.getError()?.message ?? '', /http:\/\/alice:\*\*\*@127\.0\.0\.1/);
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      await job.complete();
      assert.deepEqual(readFileSync(dir.file('out.bin')), body);
    } finally {
      await engine.close();
    }
    assert.equal(storeBytes(data).indexOf(PASSWORD), -1, 'the password is in the store');
    // A second start finds nothing left to move and changes nothing.
    engine = startEngine(dir);
    await engine.close();
  });
});
