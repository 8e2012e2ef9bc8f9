// Complete's rename of the transferred files (main/engine/job-files.ts) against a real engine,
// HTTP server and temporary folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/index.js';
import { startTestServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { makeTempDir, testEngineOptions, waitForState } from '../support/engine-harness.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
  server.setFile('/a.bin', { body: Buffer.alloc(32 * 1024, 1) });
});

after(async () => {
  await server.close();
});

describe('Complete after a crash', () => {
  // Guards against: a crash after Complete's rename but before its record (completed = true)
  // lands leaves a job whose Complete can never succeed again: the temporary file is gone,
  // the final file is whole, and every retry fails with FILE_RENAME_FAILED (job-files.ts
  // renameTransferredFiles does not recognise a rename that already happened).
  it('Complete after a crash between rename and record still acknowledges the job', async () => {
    const own = makeTempDir();
    try {
      const dataDir = join(own.path, 'data');
      const finalName = own.file('done.bin');
      let first = createEngine(testEngineOptions(dataDir));
      let job = first.createJob({ displayName: 'crash-complete', priority: 'FOREGROUND' });
      await job.addFile(server.url('/a.bin'), finalName);
      await job.resume();
      await waitForState(job, 'TRANSFERRED');
      const tempName = job.enumFiles()[0]?.tempName ?? '';
      const id = job.id;
      await first.close();
      // The on-disk state a crash leaves right after renameSync + folder fsync in Complete.
      renameSync(tempName, finalName);

      first = createEngine(testEngineOptions(dataDir));
      try {
        job = first.getJob(id);
        assert.equal(job.getState(), 'TRANSFERRED');
        await job.complete(); // observed: throws FILE_RENAME_FAILED, on every retry
        assert.equal(job.getState(), 'ACKNOWLEDGED');
        assert.ok(existsSync(finalName));
      } finally {
        await first.close();
      }
    } finally {
      own.cleanup();
    }
  });
});
