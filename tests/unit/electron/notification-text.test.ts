import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobErrorInfo } from '../../../app/index.js';
import { notificationFor } from '../../../main/electron/notification-text.js';
import { jobId, jobInfo } from './job-fixture.js';

const on = { notifications: true };

const error404: JobErrorInfo = {
  context: 'REMOTE_FILE',
  code: 'HTTP_NOT_FOUND',
  message: 'The server has no file at https://example.org/a (HTTP 404)',
  fileIndex: 1,
  httpStatus: 404,
  sysCode: null,
  protocol: 'https',
  time: 0,
};

describe('notificationFor', () => {
  it('announces a transferred job with its files and size', () => {
    const job = jobInfo(1, 'TRANSFERRED', {
      filesTotal: 3,
      filesTransferred: 3,
      bytesTransferred: 5 * 1024 * 1024,
    });
    assert.deepEqual(
      notificationFor({ event: 'jobTransferred', payload: { revision: 1, job } }, on),
      {
        title: 'Download finished',
        body: 'job 1: 3 files, 5.0 MB',
        jobId: jobId(1),
      },
    );
  });

  it('announces a failed job with the file and the error message', () => {
    const job = jobInfo(2, 'ERROR');
    assert.deepEqual(
      notificationFor({ event: 'jobError', payload: { revision: 1, job, error: error404 } }, on),
      {
        title: 'Download failed',
        body: 'job 2 (file 2): The server has no file at https://example.org/a (HTTP 404)',
        jobId: jobId(2),
      },
    );
  });

  it('says nothing when notifications are off', () => {
    const job = jobInfo(1, 'TRANSFERRED');
    const off = { notifications: false };
    assert.equal(
      notificationFor({ event: 'jobTransferred', payload: { revision: 1, job } }, off),
      null,
    );
    assert.equal(
      notificationFor({ event: 'jobError', payload: { revision: 1, job, error: error404 } }, off),
      null,
    );
  });
});
