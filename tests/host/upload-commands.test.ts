// Upload-reply jobs through the host as a shell calls it: job.create with a type, the reply
// commands (job.setReplyFileName, job.getReplyData) and the job's `reply` field; and removing
// a completed upload job with deleteFiles deletes its reply, never the user's uploaded file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobDetails, JobsBatchOutput, ReplyDataOutput } from '../../app/index.js';
import type { Engine } from '../../main/engine/index.js';
import { createEngineHost } from '../../main/host/index.js';
import type { EngineHost } from '../../main/host/index.js';
import { makeTempDir, startEngine, waitFor, waitForState } from '../support/engine-harness.js';
import type { TempDir } from '../support/engine-harness.js';
import { startTestUploadServer } from '../support/upload-server.js';
import type { TestUploadServer } from '../support/upload-server.js';

let dir: TempDir;
let engine: Engine;
let host: EngineHost;
let server: TestUploadServer;

before(async () => {
  dir = makeTempDir();
  engine = startEngine(dir);
  host = createEngineHost({ engine, host: 'server', version: '0.0.0-test' });
  server = await startTestUploadServer(join(dir.path, 'server'), { replies: true });
});

after(async () => {
  host.close();
  await engine.close();
  await server.close();
  dir.cleanup();
});

async function call(command: string, input: unknown): Promise<unknown> {
  const envelope = await host.invoke(command, input);
  if (!envelope.ok) throw new Error(`${command} failed: ${envelope.error.message}`);
  return envelope.value;
}

describe('upload-reply jobs through the contract', () => {
  it('create, reply commands, complete; remove with deleteFiles keeps the uploaded file', async () => {
    const source = dir.file('photo.jpg');
    writeFileSync(source, Buffer.alloc(70_000, 7));
    const job = (await call('job.create', {
      displayName: 'photo',
      type: 'UPLOAD_REPLY',
    })) as JobDetails;
    assert.equal(job.type, 'UPLOAD_REPLY');
    assert.deepEqual(job.reply, {
      fileName: null,
      progress: { bytesTotal: null, bytesTransferred: 0 },
      completed: false,
    });
    await call('job.addFile', {
      jobId: job.id,
      remoteUrl: server.url('photos/photo.jpg'),
      localName: source,
    });
    const replyName = dir.file('photo.reply.json');
    const named = (await call('job.setReplyFileName', {
      jobId: job.id,
      replyFileName: replyName,
    })) as JobDetails;
    assert.equal(named.reply?.fileName, replyName);
    const early = await host.invoke('job.getReplyData', { jobId: job.id });
    assert.ok(!early.ok, 'no reply before the upload');
    assert.equal(early.error.code, 'JOB_INVALID_STATE');

    await call('job.resume', { jobId: job.id });
    await waitForState(engine.getJob(job.id), 'TRANSFERRED');
    const data = (await call('job.getReplyData', { jobId: job.id })) as ReplyDataOutput;
    const reply = JSON.parse(Buffer.from(data.base64, 'base64').toString('utf8')) as {
      bytes: number;
    };
    assert.equal(reply.bytes, 70_000);
    assert.equal(data.bytes, Buffer.from(data.base64, 'base64').length);

    await call('job.complete', { jobId: job.id });
    assert.ok(existsSync(replyName));
    const removed = (await call('jobs.batch', {
      action: 'remove',
      jobIds: [job.id],
      deleteFiles: true,
    })) as JobsBatchOutput;
    assert.equal(removed.done, 1);
    await waitFor(() => !existsSync(replyName), 'the reply deleted');
    assert.ok(existsSync(source), 'the uploaded file is the user’s own and stays');
    assert.equal(readFileSync(join(dir.path, 'server', 'photos', 'photo.jpg')).length, 70_000);
  });
});
